package io.cachekit.redis.internal;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * Values to bytes and back through the backend's serializer. Pure: decoding touches nothing but
 * the bytes it is given (what to do with an unreadable entry is the operation's decision).
 */
final class ValueCodec<T> {

	private final CacheSerializer<T> serializer;

	ValueCodec(CacheSerializer<T> serializer) {
		this.serializer = serializer;
	}

	CacheSerializer<T> serializer() {
		return this.serializer;
	}

	/**
	 * The value stored under {@code redisKey}.
	 * @throws CacheSerializationException naming the operation and key when the bytes cannot be read
	 */
	T decode(String operation, String redisKey, byte[] bytes) {
		try {
			return this.serializer.deserialize(bytes);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// (a stored graph too deep for the serializer is an unreadable value, not a crash)
			CacheSerializationException failure = (ex instanceof CacheSerializationException cse) ? cse
					: new CacheSerializationException("could not read the value under '" + redisKey + "'", ex);
			throw new CacheSerializationException(operation + " of '" + redisKey + "': " + failure.getMessage(),
					failure.getCause());
		}
	}

	byte[] encode(T value) {
		Keys.notNull(value, "value");
		try {
			return this.serializer.serialize(value);
		}
		catch (CacheSerializationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CacheSerializationException("could not serialize a " + value.getClass().getName(), ex);
		}
	}

}
