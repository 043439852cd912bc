package io.cachekit.core.serialization;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * JSON through Jackson 3. Typed instances write plain JSON for one type; the polymorphic
 * instance records each value's class and reads back only classes its validator trusts.
 */
final class JsonCacheSerializer<T> implements CacheSerializer<T> {

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

	private final ObjectReader reader;

	private final ObjectWriter writer;

	private final String description;

	private final Predicate<Class<?>> writable;

	private JsonCacheSerializer(ObjectReader reader, ObjectWriter writer, String description,
			Predicate<Class<?>> writable) {
		this.reader = reader;
		this.writer = writer;
		this.description = description;
		this.writable = writable;
	}

	static JsonMapper defaultMapper() {
		return DEFAULT_MAPPER;
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, Class<T> type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.getName(), (c) -> true);
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, JavaType type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.toString(), (c) -> true);
	}

	static JsonCacheSerializer<Object> polymorphic(Collection<String> trustedPackages) {
		List<String> prefixes = new ArrayList<>(JDK_PREFIXES);
		for (String pkg : trustedPackages) {
			if (pkg == null || pkg.isBlank() || pkg.equals("*") || pkg.equals(".")) {
				throw new IllegalArgumentException(
						"trustedPackages entries must be package names such as com.example.shop, not '" + pkg + "'");
			}
			String name = pkg.strip();
			prefixes.add(name.endsWith(".") ? name : name + ".");
		}
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder().allowIfSubTypeIsArray();
		JDK_VALUE_TYPES.forEach(validator::allowIfSubType);
		prefixes.forEach(validator::allowIfSubType);
		PolymorphicTypeValidator ptv = validator.build();
		JsonMapper mapper = JsonMapper.builder().activateDefaultTyping(ptv, DefaultTyping.NON_FINAL).build();
		// Refuse at write time what could not be read back, rather than store an unreadable entry.
		Predicate<Class<?>> trusted = (type) -> type.isArray() || JDK_VALUE_TYPES.contains(type)
				|| prefixes.stream().anyMatch(type.getName()::startsWith);
		return new JsonCacheSerializer<>(mapper.readerFor(Object.class), mapper.writerFor(Object.class),
				"Object (trusted packages " + trustedPackages + ")", trusted);
	}

	private static final List<String> JDK_PREFIXES = List.of("java.util.", "java.time.");

	private static final Set<Class<?>> JDK_VALUE_TYPES = Set.of(BigDecimal.class, BigInteger.class, String.class,
			Boolean.class, Character.class, Long.class, Integer.class, Short.class, Byte.class, Double.class,
			Float.class);

	@Override
	public byte[] serialize(T value) {
		if (!this.writable.test(value.getClass())) {
			throw new CacheSerializationException("values of type " + value.getClass().getName()
					+ " are outside the JSON serializer's trusted packages and could not be read back;"
					+ " add its package to the trusted packages", null);
		}
		try {
			return this.writer.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new CacheSerializationException(
					"could not write a " + value.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public T deserialize(byte[] bytes) {
		try {
			return this.reader.readValue(bytes);
		}
		catch (JacksonException ex) {
			throw new CacheSerializationException(
					"could not read stored JSON as " + this.description + ": " + ex.getOriginalMessage(), ex);
		}
	}

}
