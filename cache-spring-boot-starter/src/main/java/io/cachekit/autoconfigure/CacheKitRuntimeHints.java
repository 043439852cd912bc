package io.cachekit.autoconfigure;

import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * The reflection CacheKit itself needs in a GraalVM native image (registered through
 * {@code META-INF/spring/aot.factories}). CacheKit loads no resources (its Lua scripts are strings
 * in the code) and no classes by name of its own; what it reads reflectively is:
 * <ul>
 * <li>the arguments inside Spring's {@link SimpleKey} (its private {@code params} field), to turn
 * the key of a {@code @Cacheable} method with several arguments into text;</li>
 * <li>the JDK types the default JSON serializer writes with their class name (its default typing
 * names every non-final class) and must find by name, and create, when reading them back:
 * {@link BigDecimal}, {@link BigInteger} and the common {@code java.util} lists, sets and maps;</li>
 * <li>the class the bridge probes to learn whether spring-tx is there (only when it is).</li>
 * </ul>
 * The application's own cached types, record keys and key types with their own
 * {@code toString()} need hints of the application's (see README, "Native images").
 */
public class CacheKitRuntimeHints implements RuntimeHintsRegistrar {

	/** The JDK value types the default JSON serializer names in its output. */
	static final List<Class<?>> JSON_JDK_VALUE_TYPES = List.of(BigDecimal.class, BigInteger.class);

	/** The JDK containers the default JSON serializer names in its output and creates when reading. */
	static final List<Class<?>> JSON_JDK_CONTAINER_TYPES = List.of(ArrayList.class, LinkedList.class, HashSet.class,
			LinkedHashSet.class, TreeSet.class, HashMap.class, LinkedHashMap.class, TreeMap.class);

	/** What the bridge checks for with {@code ClassUtils.isPresent} (spring-tx, optional). */
	static final String TRANSACTION_SYNCHRONIZATION_MANAGER = "org.springframework.transaction.support.TransactionSynchronizationManager";

	/** Creates the registrar (Spring does, from {@code aot.factories}). */
	public CacheKitRuntimeHints() {
	}

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		Field params = ReflectionUtils.findField(SimpleKey.class, "params");
		if (params != null) {
			hints.reflection().registerField(params);
		}
		JSON_JDK_VALUE_TYPES.forEach((type) -> hints.reflection().registerType(type));
		JSON_JDK_CONTAINER_TYPES
			.forEach((type) -> hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS));
		hints.reflection().registerTypeIfPresent(classLoader, TRANSACTION_SYNCHRONIZATION_MANAGER);
	}

}
