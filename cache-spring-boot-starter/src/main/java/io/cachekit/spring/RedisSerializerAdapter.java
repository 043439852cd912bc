package io.cachekit.spring;

import java.util.Objects;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * Uses a Spring Data Redis {@link RedisSerializer} as a CacheKit value serializer, so that a
 * serializer you already configured for {@code RedisTemplate} can serve the cache too:
 *
 * <pre>{@code
 * @Bean
 * CacheSerializer<Object> cacheKitSerializer() {
 *     return RedisSerializerAdapter.of(RedisSerializer.java());
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public final class RedisSerializerAdapter<T> implements CacheSerializer<T> {

	private final RedisSerializer<T> serializer;

	private RedisSerializerAdapter(RedisSerializer<T> serializer) {
		this.serializer = serializer;
	}

	/**
	 * Adapts {@code serializer}.
	 * @param <T> the value type
	 * @param serializer a Spring Data Redis serializer
	 * @return a CacheKit serializer that delegates to it
	 */
	public static <T> CacheSerializer<T> of(RedisSerializer<T> serializer) {
		return new RedisSerializerAdapter<>(Objects.requireNonNull(serializer, "serializer must not be null"));
	}

	@Override
	public byte[] serialize(T value) {
		try {
			byte[] bytes = this.serializer.serialize(value);
			if (bytes == null) {
				throw new CacheSerializationException(this.serializer + " wrote nothing for a " + value.getClass().getName(), null);
			}
			return bytes;
		}
		catch (SerializationException ex) {
			throw new CacheSerializationException("could not serialize a " + value.getClass().getName(), ex);
		}
	}

	@Override
	public T deserialize(byte[] bytes) {
		try {
			T value = this.serializer.deserialize(bytes);
			if (value == null) {
				throw new CacheSerializationException(this.serializer + " read nothing from the stored bytes", null);
			}
			return value;
		}
		catch (SerializationException ex) {
			throw new CacheSerializationException("could not deserialize stored bytes", ex);
		}
	}

}
