package io.cachekit.spring;

import java.util.Arrays;

import org.springframework.cache.support.NullValue;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.internal.QuickDecoding;

/**
 * Wraps the value serializer so that Spring's {@link NullValue} is stored as a fixed marker (no
 * JSON document, Java serialization stream, or ordinary string starts with a NUL byte followed by
 * this text) and read back as {@link NullValue}.
 */
final class NullValueSerializer implements CacheSerializer<Object>, QuickDecoding {

	static final byte[] MARKER = { 0, 'c', 'a', 'c', 'h', 'e', 'k', 'i', 't', ':', 'n', 'u', 'l', 'l' };

	private final CacheSerializer<Object> delegate;

	NullValueSerializer(CacheSerializer<Object> delegate) {
		this.delegate = delegate;
	}

	@Override
	public byte[] serialize(Object value) {
		return (value == NullValue.INSTANCE || value instanceof NullValue) ? MARKER : this.delegate.serialize(value);
	}

	@Override
	public Object deserialize(byte[] bytes) {
		return Arrays.equals(bytes, MARKER) ? NullValue.INSTANCE : this.delegate.deserialize(bytes);
	}

	@Override
	public boolean decodesQuickly() {
		return QuickDecoding.quick(this.delegate);
	}

}
