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
public class CacheKitRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The JDK type ids the default JSON serializer reads back (cache-core's list of trusted JDK
	 * types, kept equal to it by a test): each must be found by name in a native image.
	 */
	static final List<String> JSON_JDK_TYPES = List.of(
			// java.lang and java.math
			"java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
			"java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.math.BigDecimal",
			"java.math.BigInteger",
			// mutable collections and maps
			"java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashSet",
			"java.util.LinkedHashSet", "java.util.TreeSet", "java.util.HashMap", "java.util.LinkedHashMap",
			"java.util.TreeMap", "java.util.EnumSet", "java.util.EnumMap",
			// List.of, Set.of, Map.of and friends
			"java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
			"java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
			"java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
			// Arrays.asList and the Collections factories
			"java.util.Arrays$ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
			"java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
			"java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
			"java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
			"java.util.Collections$UnmodifiableSet", "java.util.Collections$UnmodifiableSortedSet",
			"java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
			// other java.util values
			"java.util.UUID", "java.util.Locale", "java.util.Currency", "java.util.Date",
			// java.time values
			"java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
			"java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Duration",
			"java.time.Period", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneId",
			"java.time.ZoneOffset", "java.time.DayOfWeek", "java.time.Month",
			// java.net
			"java.net.URI");

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
		JSON_JDK_TYPES.forEach((name) -> hints.reflection().registerType(TypeReference.of(name)));
		JSON_JDK_CONTAINER_TYPES
			.forEach((type) -> hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS));
		hints.reflection().registerTypeIfPresent(classLoader, TRANSACTION_SYNCHRONIZATION_MANAGER);
	}

}
