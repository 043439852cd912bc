package io.cachekit.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.internal.NamedSerializers;
import io.cachekit.fixtures.Product;
import io.cachekit.untrusted.Gadget;

/** Pure serializer behaviour: no Redis involved, so no server needed. */
class CacheSerializersTest {

	private final Product lamp = new Product("p1", "Lamp", new BigDecimal("19.90"), List.of("home"));

	@Test
	void polymorphicJsonRoundTripsTrustedAndJdkValueTypes() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		List<Object> values = List.of("s", 1, 2L, 3.5, true, new BigDecimal("1.10"), Instant.parse("2026-01-01T00:00:00Z"),
				new ArrayList<>(List.of(this.lamp)), new HashMap<>(Map.of("k", this.lamp)), this.lamp);
		for (Object value : values) {
			assertThat(json.deserialize(json.serialize(value))).as(value.getClass().getName()).isEqualTo(value);
		}
	}

	/** One value (or more) of every type on the JSON allow-list, keyed by what it shows. */
	static Map<String, Object> everyAllowListedValue() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("String", "s");
		values.put("Boolean", true);
		values.put("Character", 'c');
		values.put("Byte", (byte) 4);
		values.put("Short", (short) 3);
		values.put("Integer", 1);
		values.put("Long", 2L);
		values.put("Float", 2.5f);
		values.put("Double", 1.5);
		values.put("BigDecimal", new BigDecimal("1.10"));
		values.put("BigInteger", new BigInteger("123456789012345678901234567890"));
		values.put("ArrayList", new ArrayList<>(List.of(1, "a")));
		values.put("LinkedList", new LinkedList<>(List.of(1, "a")));
		values.put("HashSet", new HashSet<>(Set.of("a", "b")));
		values.put("LinkedHashSet", new LinkedHashSet<>(List.of("b", "a")));
		values.put("TreeSet", new TreeSet<>(Set.of("b", "a")));
		values.put("HashMap", new HashMap<>(Map.of("k", 1)));
		values.put("LinkedHashMap", new LinkedHashMap<>(Map.of("k", 1)));
		values.put("TreeMap", new TreeMap<>(Map.of("k", 1, "j", 2)));
		values.put("EnumSet", EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
		EnumMap<Month, Integer> enumMap = new EnumMap<>(Month.class);
		enumMap.put(Month.MAY, 5);
		values.put("EnumMap", enumMap);
		values.put("List.of()", List.of());
		values.put("List.of(1)", List.of("a"));
		values.put("List.of(3)", List.of("a", "b", "c"));
		values.put("Stream.toList", Stream.of("a", "b", "c").toList());
		values.put("Set.of()", Set.of());
		values.put("Set.of(1)", Set.of("a"));
		values.put("Set.of(3)", Set.of("a", "b", "c"));
		values.put("Map.of(1)", Map.of("k", 1));
		values.put("Map.of(2)", Map.of("k", 1, "j", 2));
		values.put("Arrays.asList", Arrays.asList("a", "b"));
		values.put("emptyList", Collections.emptyList());
		values.put("emptySet", Collections.emptySet());
		values.put("emptyMap", Collections.emptyMap());
		values.put("singletonList", Collections.singletonList("a"));
		values.put("singleton", Collections.singleton("a"));
		values.put("singletonMap", Collections.singletonMap("k", 1));
		values.put("unmodifiableList", Collections.unmodifiableList(new LinkedList<>(List.of("a"))));
		values.put("unmodifiableList(RandomAccess)", Collections.unmodifiableList(new ArrayList<>(List.of("a"))));
		values.put("unmodifiableSet", Collections.unmodifiableSet(new HashSet<>(Set.of("a"))));
		values.put("unmodifiableSortedSet", Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("a"))));
		values.put("unmodifiableMap", Collections.unmodifiableMap(new HashMap<>(Map.of("k", 1))));
		values.put("unmodifiableSortedMap", Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("k", 1))));
		values.put("UUID", UUID.fromString("63fa1870-046c-466d-973f-b2182bced2aa"));
		values.put("Locale", Locale.CANADA_FRENCH);
		values.put("Currency", Currency.getInstance("EUR"));
		values.put("Date", new Date(1234567890123L));
		values.put("URI", URI.create("https://example.com/a?b=c"));
		values.put("Instant", Instant.parse("2026-01-01T00:00:00.123456789Z"));
		values.put("LocalDate", LocalDate.of(2026, 1, 2));
		values.put("LocalTime", LocalTime.of(1, 2, 3, 4));
		values.put("LocalDateTime", LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6));
		values.put("OffsetDateTime", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2)));
		values.put("OffsetTime", OffsetTime.of(1, 2, 3, 4, ZoneOffset.ofHours(-3)));
		values.put("ZonedDateTime", ZonedDateTime.of(2026, 7, 2, 3, 4, 5, 6, ZoneId.of("Europe/Paris")));
		values.put("ZonedDateTime(UTC)", ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.UTC));
		values.put("Duration", Duration.ofMillis(1500));
		values.put("Period", Period.of(1, 2, 3));
		values.put("Year", Year.of(2026));
		values.put("YearMonth", YearMonth.of(2026, 3));
		values.put("MonthDay", MonthDay.of(3, 4));
		values.put("ZoneId", ZoneId.of("Europe/Paris"));
		values.put("ZoneOffset", ZoneOffset.ofHours(2));
		values.put("DayOfWeek", DayOfWeek.MONDAY);
		values.put("Month", Month.MAY);
		values.put("int[]", new int[] { 1, 2 });
		values.put("byte[]", new byte[] { 1, 2 });
		values.put("String[][]", new String[][] { { "a" }, { "b" } });
		values.put("Object[]", new Object[] { "a", 1L, LocalDate.of(2026, 1, 2) });
		return values;
	}

	@Test
	void polymorphicJsonRoundTripsEveryAllowListedTypeAtTheTopAndNested() {
		CacheSerializer<Object> json = CacheSerializers.json();
		Set<String> typeIdsSeen = new HashSet<>();
		for (Map.Entry<String, Object> entry : everyAllowListedValue().entrySet()) {
			Object value = entry.getValue();
			List<Object> shapes = List.of(value, new ArrayList<>(List.of(value)), new HashMap<>(Map.of("k", value)));
			for (Object shape : shapes) {
				byte[] bytes = json.serialize(shape);
				typeIdsSeen.addAll(typeIds(new String(bytes, StandardCharsets.UTF_8)));
				Object back = json.deserialize(bytes);
				Object inner = (shape == value) ? back
						: (shape instanceof List<?>) ? ((List<?>) back).get(0) : ((Map<?, ?>) back).get("k");
				if (value instanceof ArrayDeque<?> deque) {
					assertThat(inner).isInstanceOf(ArrayDeque.class).asInstanceOf(InstanceOfAssertFactories.ITERABLE)
						.containsExactlyElementsOf(deque);
				}
				else {
					assertThat(inner).as(entry.getKey() + " in " + new String(bytes, StandardCharsets.UTF_8))
						.isEqualTo(value);
				}
			}
		}
		assertThat(json.deserialize(json.serialize(new ArrayDeque<>(List.of("a", "b")))))
			.isInstanceOf(ArrayDeque.class).asInstanceOf(InstanceOfAssertFactories.ITERABLE).containsExactly("a", "b");
		typeIdsSeen.add("java.util.ArrayDeque");
		// every entry of the list is exercised above: nothing is trusted that was not shown to round-trip
		assertThat(typeIdsSeen).containsAll(JsonValueTypes.JDK_TYPES.stream()
			.filter((t) -> !t.equals("java.lang.String") && !t.equals("java.lang.Integer")
					&& !t.equals("java.lang.Double") && !t.equals("java.lang.Boolean")) // written bare, no type id
			.toList());
	}

	/** The class names recorded in polymorphic JSON: every string that opens a [type, value] pair. */
	private static Set<String> typeIds(String json) {
		Set<String> ids = new HashSet<>();
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[\"([^\"]+)\",").matcher(json);
		while (m.find()) {
			String id = m.group(1);
			ids.add(id.contains("<") ? id.substring(0, id.indexOf('<')) : id);
		}
		return ids;
	}

	/** JSON a hostile writer could plant: JDK classes with side effects, top level and nested. */
	static List<String> hostileJson() {
		List<String> plain = List.of("[\"java.util.Timer\",{}]", "[\"java.util.Timer\",\"evil\"]",
				"[\"java.util.concurrent.ScheduledThreadPoolExecutor\",4]", "[\"java.lang.ProcessBuilder\",[\"java.util.ArrayList\",[\"sh\"]]]",
				"[\"java.lang.Thread\",{}]", "[\"[Ljava.util.Timer;\",[{}]]",
				"[\"java.util.EnumSet<java.util.Timer>\",[]]", "[\"java.util.ArrayList<java.util.Timer>\",[{}]]");
		List<String> all = new ArrayList<>(plain);
		for (String p : plain) {
			all.add("[\"java.util.ArrayList\",[" + p + "]]");
			all.add("[\"java.util.HashMap\",{\"k\":" + p + "}]");
			all.add("[\"java.util.ImmutableCollections$ListN\",[\"a\"," + p + "]]");
		}
		return all;
	}

	static long timerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("Timer-")).count();
	}

	@Test
	void polymorphicJsonRefusesJdkClassesThatAreNotValuesAndStartsNoThread() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		long timersBefore = timerThreads();
		int threadsBefore = Thread.activeCount();
		StringBuilder thousandTimers = new StringBuilder("[\"java.util.ArrayList\",[");
		for (int i = 0; i < 1000; i++) {
			thousandTimers.append((i == 0) ? "" : ",").append("[\"java.util.Timer\",{}]");
		}
		List<String> planted = new ArrayList<>(hostileJson());
		planted.add(thousandTimers.append("]]").toString());
		for (String hostile : planted) {
			assertThatThrownBy(() -> json.deserialize(hostile.getBytes(StandardCharsets.UTF_8))).as(hostile)
				.isInstanceOf(CacheSerializationException.class);
		}
		assertThat(timerThreads()).isEqualTo(timersBefore);
		assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore);
	}

	@Test
	void polymorphicJsonDoesNotEvenLoadAnUntrustedClassNamedAsATypeParameter() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		for (String hostile : List.of("[\"io.cachekit.untrusted.StaticInit\",{}]",
				"[\"[Lio.cachekit.untrusted.StaticInit;\",[]]", "[\"java.util.ArrayList<io.cachekit.untrusted.StaticInit>\",[]]",
				"[\"java.util.EnumMap<io.cachekit.untrusted.StaticInit,java.lang.Object>\",{}]",
				"[\"java.util.HashMap<java.lang.String,io.cachekit.untrusted.StaticInit>\",{}]",
				"[\"java.util.ArrayList\",[[\"java.util.EnumSet<io.cachekit.untrusted.StaticInit>\",[]]]]")) {
			assertThatThrownBy(() -> json.deserialize(hostile.getBytes(StandardCharsets.UTF_8))).as(hostile)
				.isInstanceOf(CacheSerializationException.class);
		}
		assertThat(io.cachekit.untrusted.Initializations.COUNT).as("static initializer runs").hasValue(0);
	}

	@Test
	void polymorphicJsonRefusesAtWriteTimeWhatItWouldRefuseToRead() throws Exception {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		java.util.Timer timer = new java.util.Timer(true);
		try {
			List<Object> refused = List.of(timer, new ArrayList<>(List.of("ok", timer)),
					new HashMap<>(Map.of("k", List.of(new Gadget()))), new Object[] { new Gadget() },
					new java.net.URL("https://example.com/"), Optional.of("x"),
					Collections.unmodifiableCollection(new ArrayList<>(List.of("a"))), new HashMap<>(Map.of("k", 1)).keySet(),
					Collections.synchronizedList(new ArrayList<>(List.of("a"))));
			for (Object value : refused) {
				assertThatThrownBy(() -> json.serialize(value)).as(value.getClass().getName())
					.isInstanceOf(CacheSerializationException.class);
			}
			assertThatThrownBy(() -> json.serialize(new ArrayList<>(List.of(timer))))
				.hasMessageContaining("java.util.Timer").hasMessageContaining("trusted packages");
		}
		finally {
			timer.cancel();
		}
	}

	@Test
	void polymorphicJsonRefusesToMaterializeAnUntrustedType() {
		CacheSerializer<Object> permissive = CacheSerializers.json(List.of("io.cachekit.untrusted"));
		byte[] stored = permissive.serialize(new Gadget());
		assertThat(new String(stored, StandardCharsets.UTF_8)).contains("io.cachekit.untrusted.Gadget");
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		assertThatThrownBy(() -> json.deserialize(stored)).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("io.cachekit.untrusted.Gadget");
		// nested inside a trusted container too
		byte[] nested = "[\"java.util.ArrayList\",[[\"io.cachekit.untrusted.Gadget\",{\"command\":\"x\"}]]]"
			.getBytes(StandardCharsets.UTF_8);
		assertThatThrownBy(() -> json.deserialize(nested)).isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void polymorphicJsonRefusesToWriteWhatItCouldNotReadBack() {
		CacheSerializer<Object> json = CacheSerializers.json(List.of("io.cachekit.fixtures"));
		assertThatThrownBy(() -> json.serialize(new Gadget())).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("trusted packages");
	}

	@Test
	void trustedPackagesRejectWildcards() {
		assertThatThrownBy(() -> CacheSerializers.json(List.of("*"))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("trustedPackages");
	}

	@Test
	void typedJsonStoresNoTypeMetadata() {
		CacheSerializer<Product> json = CacheSerializers.json(Product.class);
		byte[] bytes = json.serialize(this.lamp);
		assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("io.cachekit").startsWith("{\"id\"");
		Product back = json.deserialize(bytes);
		assertThat(back).isEqualTo(this.lamp);
	}

	@Test
	void jdkRoundTripsAllowedClassesAndRefusesOthers() {
		CacheSerializer<Object> jdk = CacheSerializers.jdk(List.of("io.cachekit.fixtures.*"));
		assertThat(jdk.deserialize(jdk.serialize(this.lamp))).isEqualTo(this.lamp);
		assertThat(jdk.deserialize(jdk.serialize(new ArrayList<>(List.of(1, "two"))))).isEqualTo(List.of(1, "two"));
		byte[] gadget = CacheSerializers.jdk(List.of("io.cachekit.untrusted.*")).serialize(new Gadget());
		assertThatThrownBy(() -> jdk.deserialize(gadget)).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("allow-list");
		assertThatThrownBy(() -> jdk.serialize(new Object())).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("not Serializable");
	}

	@Test
	void stringRejectsInvalidUtf8() {
		assertThat(CacheSerializers.string().deserialize("héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
		assertThatThrownBy(() -> CacheSerializers.string().deserialize(new byte[] { (byte) 0xc3, (byte) 0x28 }))
			.isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void namedSerializersAndUnknownName() {
		assertThat(NamedSerializers.named("string", List.of()).deserialize(new byte[] { 'a' })).isEqualTo("a");
		assertThat(NamedSerializers.named("bytes", List.of()).serialize(new byte[] { 1 })).containsExactly(1);
		assertThatThrownBy(() -> NamedSerializers.named("string", List.of()).serialize(42))
			.isInstanceOf(CacheSerializationException.class).hasMessageContaining("java.lang.Integer");
		assertThatThrownBy(() -> NamedSerializers.named("pickle", List.of())).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("json, jdk, string, bytes").hasMessageContaining("pickle");
	}

}
