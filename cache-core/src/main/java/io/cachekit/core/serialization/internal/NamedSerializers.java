package io.cachekit.core.serialization.internal;

import java.util.Collection;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;

/**
 * The serializers by the names configuration uses ({@code app.cache.serializer}): for the
 * Spring Boot starter and the in-memory test backend. Internal: applications build serializers
 * with {@link CacheSerializers}.
 */
public final class NamedSerializers {

	private NamedSerializers() {
	}

	/**
	 * The serializer for a name used in configuration: {@code json}, {@code jdk}, {@code string}
	 * or {@code bytes}, for values of any type.
	 * @param name {@code json}, {@code jdk}, {@code string} or {@code bytes}
	 * @param trustedPackages packages trusted by {@code json} and admitted by {@code jdk}
	 * @return the serializer of that name
	 * @throws IllegalArgumentException for any other name
	 */
	public static CacheSerializer<Object> named(String name, Collection<String> trustedPackages) {
		switch (name) {
			case "json":
				return CacheSerializers.json(trustedPackages);
			case "jdk":
				return CacheSerializers.jdk(trustedPackages.stream().map((p) -> p.endsWith(".**") ? p : p + ".**").toList());
			case "string":
				return new ObjectAdapter<>(CacheSerializers.string(), String.class);
			case "bytes":
				return new ObjectAdapter<>(CacheSerializers.bytes(), byte[].class);
			default:
				throw new IllegalArgumentException(
						"serializer must be one of json, jdk, string, bytes but was '" + name + "'");
		}
	}

	/** Lets a typed serializer stand where values are {@code Object}, rejecting other types clearly. */
	private static final class ObjectAdapter<T> implements CacheSerializer<Object>, QuickDecoding {

		private final CacheSerializer<T> delegate;

		private final Class<T> type;

		ObjectAdapter(CacheSerializer<T> delegate, Class<T> type) {
			this.delegate = delegate;
			this.type = type;
		}

		@Override
		public byte[] serialize(Object value) {
			if (!this.type.isInstance(value)) {
				throw new CacheSerializationException("value of type " + value.getClass().getName()
						+ " cannot be written by the " + this.type.getSimpleName() + " serializer", null);
			}
			return this.delegate.serialize(this.type.cast(value));
		}

		@Override
		public Object deserialize(byte[] bytes) {
			return this.delegate.deserialize(bytes);
		}

		@Override
		public boolean decodesQuickly() {
			return QuickDecoding.quick(this.delegate);
		}

	}

}
