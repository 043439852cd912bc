package io.cachekit.core.serialization;

import java.util.Collection;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.TypeIdResolver;
import tools.jackson.databind.jsontype.impl.ClassNameIdResolver;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;
import io.cachekit.core.serialization.internal.QuickDecoding;

/**
 * JSON through Jackson 3. Typed instances write plain JSON for one type; the polymorphic
 * instance records each value's class and reads back only classes its validator trusts.
 */
final class JsonCacheSerializer<T> implements CacheSerializer<T>, QuickDecoding {

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

	private final ObjectReader reader;

	private final ObjectWriter writer;

	private final String description;

	private final Function<Class<?>, @Nullable String> refusal;

	private JsonCacheSerializer(ObjectReader reader, ObjectWriter writer, String description,
			Function<Class<?>, @Nullable String> refusal) {
		this.reader = reader;
		this.writer = writer;
		this.description = description;
		this.refusal = refusal;
	}

	static JsonMapper defaultMapper() {
		return DEFAULT_MAPPER;
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, Class<T> type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.getName(), (c) -> null);
	}

	static <T> JsonCacheSerializer<T> forType(JsonMapper mapper, JavaType type) {
		return new JsonCacheSerializer<>(mapper.readerFor(type), mapper.writerFor(type), type.toString(), (c) -> null);
	}

	static JsonCacheSerializer<Object> polymorphic(Collection<String> trustedPackages) {
		JsonValueTypes types = new JsonValueTypes(trustedPackages);
		JsonMapper mapper = JsonMapper.builder()
			.setDefaultTyping(new CheckedTyping(types))
			// an OffsetDateTime or ZonedDateTime comes back with the offset and zone it was stored
			// with, not shifted to UTC: equal to what was cached
			.disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
			.enable(DateTimeFeature.WRITE_DATES_WITH_ZONE_ID)
			.build();
		// Type ids are checked as they are written (CheckedTyping); this catches the few top-level
		// values Jackson writes with no type id that would not come back as given.
		Function<Class<?>, @Nullable String> refusal = JsonValueTypes::refusal;
		return new JsonCacheSerializer<>(mapper.readerFor(Object.class), mapper.writerFor(Object.class),
				"Object (trusted packages " + trustedPackages + ")", refusal);
	}

	/**
	 * Default typing for every non-final type, whose type ids are checked against
	 * {@link JsonValueTypes} when written as well as when read: a value holding an untrusted type
	 * anywhere inside it is refused at write time rather than stored unreadable.
	 */
	private static final class CheckedTyping extends DefaultTypeResolverBuilder {

		private static final long serialVersionUID = 1L;

		private final JsonValueTypes types;

		CheckedTyping(JsonValueTypes types) {
			super(types.validator(), DefaultTyping.NON_FINAL, JsonTypeInfo.As.WRAPPER_ARRAY);
			this.types = types;
		}

		@Override
		protected TypeIdResolver idResolver(DatabindContext ctxt, JavaType baseType, PolymorphicTypeValidator ptv,
				Collection<NamedType> subtypes, boolean forSer, boolean forDeser) {
			JsonValueTypes trusted = this.types;
			if (!forSer) {
				return new ClassNameIdResolver(baseType, subtypes, ptv) {

					private static final long serialVersionUID = 1L;

					@Override
					public JavaType typeFromId(DatabindContext context, String id) {
						// the validator sees only the raw name of a generic id; this sees all of
						// it, before Jackson loads any class it names
						if (!trusted.trusts(id)) {
							throw ((DeserializationContext) context).invalidTypeIdException(this._baseType, id,
									"not one of the JSON serializer's trusted types");
						}
						return super.typeFromId(context, id);
					}

				};
			}
			return new ClassNameIdResolver(baseType, subtypes, ptv) {

				private static final long serialVersionUID = 1L;

				@Override
				public String idFromValue(DatabindContext context, Object value) {
					return checked(context, value, super.idFromValue(context, value));
				}

				@Override
				public String idFromValueAndType(DatabindContext context, Object value, Class<?> type) {
					return checked(context, value, super.idFromValueAndType(context, value, type));
				}

				private String checked(DatabindContext context, Object value, String id) {
					if (!trusted.trusts(id)) {
						context.reportBadDefinition(value.getClass(), "values of type " + value.getClass().getName()
								+ " (type id " + id + ") are outside the JSON serializer's trusted types and could not"
								+ " be read back; add its package to the trusted packages");
					}
					return id;
				}

			};
		}

	}

	@Override
	public byte[] serialize(T value) {
		String refused = this.refusal.apply(value.getClass());
		if (refused != null) {
			throw new CacheSerializationException(refused, null);
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

	@Override
	public boolean decodesQuickly() {
		return true;
	}

}
