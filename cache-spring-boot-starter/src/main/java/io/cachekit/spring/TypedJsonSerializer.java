package io.cachekit.spring;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.core.serialization.internal.QuickDecoding;

/**
 * Plain JSON of one type, where the bridge hands values as {@code Object}: no type metadata is
 * written, and bytes are read back as that type only (never as a type named in the data).
 */
final class TypedJsonSerializer<T> implements CacheSerializer<Object>, QuickDecoding {

	private final Class<T> type;

	private final CacheSerializer<T> json;

	TypedJsonSerializer(Class<T> type) {
		this.type = type;
		this.json = CacheSerializers.json(type);
	}

	@Override
	public byte[] serialize(Object value) {
		if (!this.type.isInstance(value)) {
			throw new CacheSerializationException("a cache of " + this.type.getName() + " values cannot store a "
					+ value.getClass().getName(), null);
		}
		return this.json.serialize(this.type.cast(value));
	}

	@Override
	public Object deserialize(byte[] bytes) {
		return this.json.deserialize(bytes);
	}

	@Override
	public boolean decodesQuickly() {
		return QuickDecoding.quick(this.json);
	}

}
