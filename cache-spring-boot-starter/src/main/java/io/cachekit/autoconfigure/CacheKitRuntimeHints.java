package io.cachekit.autoconfigure;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
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
import org.springframework.aot.hint.TypeReference;

import io.cachekit.core.serialization.CacheSerializers;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * The reflection CacheKit itself needs in a GraalVM native image (registered through
 * {@code META-INF/spring/aot.factories}). CacheKit loads no resources (its Lua scripts are strings
 * in the code) and no classes by name of its own; what it reads reflectively is:
 * <ul>
 * <li>the arguments inside Spring's {@link SimpleKey} (its private {@code params} field), to turn
 * the key of a {@code @Cacheable} method with several arguments into text;</li>
 * <li>the JDK types the default JSON serializer trusts, which it must find by name when it reads
 * their type ids back ({@code java.math} numbers, {@code java.util} collections, maps and values,
 * {@code java.time} values, {@code URI}), and the public constructors of the mutable collections
 * and maps among them, which Jackson calls;</li>
 * <li>the class the bridge probes to learn whether spring-tx is there (only when it is).</li>
 * </ul>
 * The application's own cached types, record keys and key types with their own
 * {@code toString()} need hints of the application's (see README, "Native images").
 */
public final class CacheKitRuntimeHints implements RuntimeHintsRegistrar {

	/** The JDK containers among them that Jackson creates through their public no-argument constructor. */
	static final List<Class<?>> JSON_JDK_CONTAINER_TYPES = List.of(ArrayList.class, LinkedList.class,
			ArrayDeque.class, HashSet.class, LinkedHashSet.class, TreeSet.class, HashMap.class, LinkedHashMap.class,
			TreeMap.class);

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
		CacheSerializers.trustedJdkTypes().forEach((name) -> hints.reflection().registerType(TypeReference.of(name)));
		JSON_JDK_CONTAINER_TYPES
			.forEach((type) -> hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS));
		hints.reflection().registerTypeIfPresent(classLoader, TRANSACTION_SYNCHRONIZATION_MANAGER);
	}

}
