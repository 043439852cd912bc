package io.cachekit.core.serialization;

import io.cachekit.core.CacheSerializer;

/** Raw bytes, stored and returned as they are. */
final class BytesCacheSerializer implements CacheSerializer<byte[]> {

	static final BytesCacheSerializer INSTANCE = new BytesCacheSerializer();

	@Override
	public byte[] serialize(byte[] value) {
		return value;
	}

	@Override
	public byte[] deserialize(byte[] bytes) {
		return bytes;
	}

}
