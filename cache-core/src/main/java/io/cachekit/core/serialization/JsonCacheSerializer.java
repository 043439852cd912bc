package io.cachekit.core.serialization;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;

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

	private JsonCacheSerializer(ObjectReader reader, ObjectWriter writer, String description) {
		this.reader = reader;
		this.writer = writer;
		this.description = description;
	}

	static JsonMapper defaultMapper() {
		return DEFAULT_MAPPER;
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, Class<T> type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.getName());
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, JavaType type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.toString());
	}

	static JsonCacheSerializer<Object> polymorphic(Collection<String> trustedPackages) {
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType("java.util.")
			.allowIfSubType("java.time.")
			.allowIfSubType(BigDecimal.class)
			.allowIfSubType(BigInteger.class)
			.allowIfSubType(String.class)
			.allowIfSubType(Boolean.class)
			.allowIfSubType(Character.class)
			.allowIfSubType(Long.class)
			.allowIfSubType(Integer.class)
			.allowIfSubType(Short.class)
			.allowIfSubType(Byte.class)
			.allowIfSubType(Double.class)
			.allowIfSubType(Float.class)
			.allowIfSubTypeIsArray();
		for (String pkg : trustedPackages) {
			if (pkg == null || pkg.isBlank() || pkg.equals("*") || pkg.equals(".")) {
				throw new IllegalArgumentException(
						"trustedPackages entries must be package names such as com.example.shop, not '" + pkg + "'");
			}
			String name = pkg.strip();
			validator.allowIfSubType(name.endsWith(".") ? name : name + ".");
		}
		PolymorphicTypeValidator ptv = validator.build();
		JsonMapper mapper = JsonMapper.builder().activateDefaultTyping(ptv, DefaultTyping.NON_FINAL).build();
		return new JsonCacheSerializer<>(mapper.readerFor(Object.class), mapper.writerFor(Object.class),
				"Object (trusted packages " + trustedPackages + ")");
	}

	@Override
	public byte[] serialize(T value) {
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
