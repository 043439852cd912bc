package io.cachekit.core.serialization;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.internal.QuickDecoding;

/** Raw bytes, stored and returned as they are. */
final class BytesCacheSerializer implements CacheSerializer<byte[]>, QuickDecoding {

	static final BytesCacheSerializer INSTANCE = new BytesCacheSerializer();

	@Override
	public byte[] serialize(byte[] value) {
		return value;
	}

	@Override
	public byte[] deserialize(byte[] bytes) {
		return bytes;
	}

	@Override
	public boolean decodesQuickly() {
		return true;
	}

}
