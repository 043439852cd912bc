package io.cachekit.autoconfigure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ClassUtils;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;

import static org.assertj.core.api.Assertions.assertThat;

/** Every hint of {@link CacheKitRuntimeHints}, and that Spring's AOT engine finds the registrar. */
class CacheKitRuntimeHintsTests {

	private final RuntimeHints hints = hintsFor(getClass().getClassLoader());

	private static RuntimeHints hintsFor(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new CacheKitRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

	@Test
	void theRegistrarIsListedInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(CacheKitRuntimeHints.class);
	}

	@Test
	void simpleKeyArgumentsCanBeRead() {
		// CacheKeys reads SimpleKey's private params field; the predicate fails if Spring renames it
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(SimpleKey.class, "params")).accepts(this.hints);
	}

	@Test
	void everyJdkTypeTheJsonSerializerTrustsCanBeFoundByName() {
		// cache-core's list is the one source: the hints register what it trusts
		Set<String> names = CacheSerializers.trustedJdkTypes();
		assertThat(names).contains("java.math.BigDecimal", "java.util.ArrayList", "java.util.ImmutableCollections$ListN");
		for (String name : names) {
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name))).as(name).accepts(this.hints);
		}
	}

	@Test
	void jdkContainersOfTheJsonSerializerCanBeCreated() {
		for (Class<?> type : List.of(ArrayList.class, LinkedList.class, ArrayDeque.class, HashSet.class,
				LinkedHashSet.class, TreeSet.class, HashMap.class, LinkedHashMap.class, TreeMap.class)) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(type)
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).as(type.getName()).accepts(this.hints);
		}
	}

	@Test
	void everyJdkClassNameTheJsonSerializerWritesForThoseTypesIsHinted() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("com.example"));
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("list", new ArrayList<>(List.of(new BigDecimal("1.5"), BigInteger.TEN)));
		value.put("linked", new LinkedList<>(List.of("a")));
		value.put("set", new HashSet<>(List.of("a")));
		value.put("linkedSet", new LinkedHashSet<>(List.of("a")));
		value.put("sortedSet", new TreeSet<>(List.of("a")));
		value.put("map", new HashMap<>(Map.of("k", "v")));
		value.put("sortedMap", new TreeMap<>(Map.of("k", "v")));
		value.put("immutable", List.of("a", "b", "c"));
		value.put("deque", new ArrayDeque<>(List.of("a")));
		String written = new String(json.serialize(value), StandardCharsets.UTF_8);
		Matcher names = Pattern.compile("\"(java\\.[a-zA-Z.$]+)\"").matcher(written);
		List<String> found = new ArrayList<>();
		while (names.find()) {
			found.add(names.group(1));
		}
		assertThat(found).as(written).contains("java.util.LinkedHashMap", "java.util.ArrayList", "java.math.BigDecimal");
		for (String name : found) {
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name))).as(name).accepts(this.hints);
		}
	}

	@Test
	void springTxProbeIsHintedWhenSpringTxIsThere() {
		assertThat(ClassUtils.isPresent(CacheKitRuntimeHints.TRANSACTION_SYNCHRONIZATION_MANAGER, null)).isTrue();
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(CacheKitRuntimeHints.TRANSACTION_SYNCHRONIZATION_MANAGER))).accepts(this.hints);
	}

	@Test
	void springTxProbeIsNotHintedWithoutSpringTx() {
		RuntimeHints withoutTx = hintsFor(new FilteredClassLoader("org.springframework.transaction"));
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(CacheKitRuntimeHints.TRANSACTION_SYNCHRONIZATION_MANAGER))).rejects(withoutTx);
	}

}
