package io.cachekit.core.serialization;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.cachekit.core.CacheSerializer;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Factories for the shipped serializers: {@code json} (the default), {@code string},
 * {@code bytes} and {@code jdk}.
 */
public final class CacheSerializers {

	private CacheSerializers() {
	}

	/**
	 * JSON for one known type: {@code Product} in, {@code Product} out, no type metadata stored.
	 * @param <T> the value type
	 * @param type the class of every value
	 * @return a JSON serializer of {@code type}
	 */
	public static <T> CacheSerializer<T> json(Class<T> type) {
		return JsonCacheSerializer.forType(JsonCacheSerializer.defaultMapper(), type);
	}

	/**
	 * JSON for one known (generic) type, with a mapper of your own.
	 * @param <T> the value type
	 * @param mapper the Jackson mapper to use
	 * @param type the type of every value
	 * @return a JSON serializer of {@code type}
	 */
	public static <T> CacheSerializer<T> json(JsonMapper mapper, JavaType type) {
		return JsonCacheSerializer.forType(mapper, type);
	}

	/**
	 * JSON for values of any type: each value's class is recorded, and read back only for classes
	 * in {@code trustedPackages} (and their sub-packages) or on this fixed list of JDK value types
	 * (never whole JDK packages, and never unrestricted default typing):
	 * <ul>
	 * <li>{@code String}, the boxed primitives, {@code BigDecimal}, {@code BigInteger};</li>
	 * <li>{@code ArrayList}, {@code LinkedList}, {@code ArrayDeque}, {@code HashSet},
	 * {@code LinkedHashSet}, {@code TreeSet}, {@code HashMap}, {@code LinkedHashMap},
	 * {@code TreeMap}, {@code EnumSet}, {@code EnumMap};</li>
	 * <li>what {@code List.of}, {@code Set.of}, {@code Map.of}, {@code List.copyOf},
	 * {@code Stream.toList}, {@code Arrays.asList}, {@code Collections.empty*},
	 * {@code Collections.singleton*} and {@code Collections.unmodifiable}{@code List/Set/SortedSet/Map/SortedMap}
	 * return (read back as equal collections, not necessarily of the same class);</li>
	 * <li>{@code UUID}, {@code Locale}, {@code Currency}, {@code Date}, {@code URI};</li>
	 * <li>{@code Instant}, {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime},
	 * {@code OffsetDateTime}, {@code OffsetTime}, {@code ZonedDateTime}, {@code Duration},
	 * {@code Period}, {@code Year}, {@code YearMonth}, {@code MonthDay}, {@code ZoneId},
	 * {@code ZoneOffset}, {@code DayOfWeek}, {@code Month};</li>
	 * <li>arrays of any of these, of trusted classes, of primitives, and {@code Object[]}.</li>
	 * </ul>
	 * A value holding any other type, at any depth, is refused when written
	 * ({@link io.cachekit.core.CacheSerializationException}) rather than stored unreadable, and
	 * stored JSON naming any other type is refused when read, before that class is loaded. Not on
	 * the list, on purpose: {@code java.net.URL} (its {@code equals} and {@code hashCode} resolve
	 * host names), {@code Optional} (Jackson writes its content, so it would come back unwrapped;
	 * refused at the top level, unwrapped when nested), and every JDK class that is not a plain value
	 * ({@code java.util.Timer}, for one, starts a thread when constructed).
	 * @param trustedPackages package names such as {@code com.example.shop}; may be empty
	 * @return a JSON serializer of values of any trusted type
	 */
	public static CacheSerializer<Object> json(Collection<String> trustedPackages) {
		return JsonCacheSerializer.polymorphic(trustedPackages);
	}

	/**
	 * The JDK types whose recorded type ids the polymorphic JSON serializers read back, as Jackson
	 * writes them (class names, some of them JDK-internal, such as those {@code List.of} returns);
	 * for example to register them for reflection in a native image.
	 * @return the type ids, unmodifiable
	 */
	public static Set<String> trustedJdkTypes() {
		return JsonValueTypes.JDK_TYPES;
	}

	/**
	 * JSON for values of any type, trusting only the JDK value types listed at {@link #json(Collection)}.
	 * @return a JSON serializer of values of any JDK value type
	 */
	public static CacheSerializer<Object> json() {
		return json(List.of());
	}

	/**
	 * UTF-8 strings.
	 * @return a UTF-8 string serializer
	 */
	public static CacheSerializer<String> string() {
		return StringCacheSerializer.INSTANCE;
	}

	/**
	 * Raw bytes, stored as given.
	 * @return a serializer that stores bytes as given
	 */
	public static CacheSerializer<byte[]> bytes() {
		return BytesCacheSerializer.INSTANCE;
	}

	/**
	 * Java serialization (opt-in). Reads only classes that {@code allowList} admits, in
	 * {@link java.io.ObjectInputFilter} pattern syntax ({@code com.example.*} for a package,
	 * {@code com.example.**} with sub-packages, or a class name); {@code java.lang}, {@code java.util},
	 * {@code java.time} and {@code java.math} are always admitted, everything else is rejected.
	 * A stored value is also refused when it exceeds 32 MiB, 16 Mi array elements, 1,000,000
	 * objects or 64 levels, or when its graph shares objects so much that hashing it while it is read
	 * would cost more than about 20,000,000 steps (SerialDOS and its variants); a value that could not
	 * be read back for that reason is refused when written.
	 * @param allowList class names or package prefixes that may be deserialized
	 * @return a Java serialization serializer
	 */
	public static CacheSerializer<Object> jdk(Collection<String> allowList) {
		return new JdkCacheSerializer(allowList);
	}

	/**
	 * {@code serializer} with values compressed as {@code compression} says (see {@link Compression}):
	 * compressed and plain values are read side by side, and a value inflating past the limit is
	 * refused as unreadable.
	 * @param <T> the value type
	 * @param serializer the serializer of the values
	 * @param compression the algorithm, threshold and limit
	 * @return the compressing serializer ({@code serializer} itself for {@link Compression#none()})
	 * @throws IllegalStateException when the algorithm's library is not on the class path
	 */
	public static <T> CacheSerializer<T> compressed(CacheSerializer<T> serializer, Compression compression) {
		return compression.wrap(serializer);
	}

}
