package io.cachekit.core;

/**
 * Turns cache values into the bytes stored in Redis and back. Implementations must be
 * thread-safe. Shipped ones are in {@code io.cachekit.core.serialization.CacheSerializers}.
 *
 * @param <T> the value type
 */
public interface CacheSerializer<T> {

	/**
	 * Serializes a non-null value.
	 * @param value the value, not {@code null}
	 * @return the bytes to store
	 * @throws CacheSerializationException when the value cannot be written
	 */
	byte[] serialize(T value);

	/**
	 * Deserializes bytes written by {@link #serialize}.
	 * @param bytes stored bytes
	 * @return the value they hold
	 * @throws CacheSerializationException when the bytes are not a value this serializer may read
	 */
	T deserialize(byte[] bytes);

}
