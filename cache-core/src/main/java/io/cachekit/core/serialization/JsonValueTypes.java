package io.cachekit.core.serialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * Which recorded type ids the polymorphic JSON serializer reads back, and therefore writes: the
 * JDK value types in {@link #JDK_TYPES}, arrays of trusted types or primitives, and classes in the
 * application's trusted packages. The same predicate ({@link #trusts(String)}) refuses a type id
 * when a value is written and when stored JSON is read, so nothing is stored that could not be
 * read back, and a planted type id outside the list is refused by name, before its class is
 * even loaded.
 *
 * <p>The JDK part is an explicit list rather than package prefixes: {@code java.util} alone holds
 * {@code Timer} (whose constructor starts a thread) and dozens of other classes that are not
 * values. Every entry is a type Jackson 3 writes and reads back equal with the serializer's mapper;
 * {@code CacheSerializersTest} round-trips each of them.
 */
final class JsonValueTypes {

	/**
	 * Exact type ids, as Jackson writes them (for {@code ZoneId.of("Europe/Paris")}, whose class is
	 * the JDK-internal {@code ZoneRegion}, Jackson writes {@code java.time.ZoneId}). Deliberately
	 * absent: {@code java.net.URL} (its {@code equals}/{@code hashCode} resolve host names),
	 * {@code Optional} (written as its content, so it would come back unwrapped),
	 * {@code Collections.unmodifiableCollection} and map views such as {@code keySet()} (Jackson
	 * cannot construct them), synchronized and checked wrappers.
	 */
	static final Set<String> JDK_TYPES = Set.of(
			// java.lang and java.math
			"java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
			"java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.math.BigDecimal",
			"java.math.BigInteger",
			// mutable collections and maps
			"java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashSet",
			"java.util.LinkedHashSet", "java.util.TreeSet", "java.util.HashMap", "java.util.LinkedHashMap",
			"java.util.TreeMap", "java.util.EnumSet", "java.util.EnumMap",
			// what List.of, Set.of, Map.of, List.copyOf, Stream.toList produce (read back as equal
			// unmodifiable collections, or an ArrayList for lists)
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

	/** Types Jackson writes as their content, with no type id, so they would not come back as given. */
	private static final List<Class<?>> UNWRAPPED = List.of(java.util.Optional.class,
			java.util.concurrent.atomic.AtomicReference.class);

	private final List<String> packagePrefixes;

	private final PolymorphicTypeValidator validator = new Validator();

	/**
	 * @param trustedPackages package names such as {@code com.example.shop}, trusted with their
	 * sub-packages
	 */
	JsonValueTypes(Collection<String> trustedPackages) {
		List<String> prefixes = new ArrayList<>();
		for (String pkg : trustedPackages) {
			if (pkg == null || pkg.isBlank() || pkg.equals("*") || pkg.equals(".")) {
				throw new IllegalArgumentException(
						"trustedPackages entries must be package names such as com.example.shop, not '" + pkg + "'");
			}
			String name = pkg.strip();
			prefixes.add(name.endsWith(".") ? name : name + ".");
		}
		this.packagePrefixes = List.copyOf(prefixes);
	}

	/**
	 * Whether a recorded type id may be read back (and so written): a listed JDK type, a class in a
	 * trusted package, or an array of those or of primitives. A generic id, which Jackson writes for
	 * {@code EnumSet} and {@code EnumMap} ({@code java.util.EnumSet<com.example.Color>}), needs
	 * every name in it trusted ({@code java.lang.Object} as a parameter too): Jackson loads, and so
	 * initializes, the classes it names before it validates the parameters.
	 */
	boolean trusts(String typeId) {
		int generic = typeId.indexOf('<');
		if (generic < 0) {
			return trustsName(typeId);
		}
		if (!trustsName(typeId.substring(0, generic)) || !typeId.endsWith(">")) {
			return false;
		}
		for (String parameter : typeId.substring(generic + 1, typeId.length() - 1).split(",")) {
			String name = parameter.strip();
			if (!name.equals("java.lang.Object") && !trusts(name)) {
				return false;
			}
		}
		return true;
	}

	private boolean trustsName(String typeId) {
		String id = typeId;
		while (id.startsWith("[")) {
			id = id.substring(1);
		}
		if (id.length() != typeId.length()) {
			if (id.length() == 1) {
				return "ZBCSIJFD".contains(id); // a primitive array such as [I or [[B
			}
			if (!id.startsWith("L") || !id.endsWith(";")) {
				return false;
			}
			id = id.substring(1, id.length() - 1);
			if (id.equals("java.lang.Object")) {
				return true; // elements of an Object[] carry type ids of their own
			}
		}
		if (id.indexOf('<') >= 0 || id.indexOf('>') >= 0) {
			return false;
		}
		if (JDK_TYPES.contains(id)) {
			return true;
		}
		for (String prefix : this.packagePrefixes) {
			if (id.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Why a top-level value of this class cannot be stored, or {@code null} when it can as far as
	 * its class goes (its type ids are checked as they are written).
	 */
	static @Nullable String refusal(Class<?> type) {
		for (Class<?> unwrapped : UNWRAPPED) {
			if (unwrapped.isAssignableFrom(type)) {
				return "values of type " + type.getName() + " are written as their content and would be read back"
						+ " unwrapped; store the content instead";
			}
		}
		return null;
	}

	/** The read-side check, by name, so a refused class is never loaded or initialized. */
	PolymorphicTypeValidator validator() {
		return this.validator;
	}

	private final class Validator extends PolymorphicTypeValidator.Base {

		private static final long serialVersionUID = 1L;

		@Override
		public Validity validateSubClassName(DatabindContext ctxt, JavaType baseType, String subClassName) {
			return trusts(subClassName) ? Validity.ALLOWED : Validity.DENIED;
		}

		@Override
		public Validity validateSubType(DatabindContext ctxt, JavaType baseType, JavaType subType) {
			return trusts(subType.getRawClass().getName()) ? Validity.ALLOWED : Validity.DENIED;
		}

	}

}
