package io.cachekit.core.serialization;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.internal.QuickDecoding;

/** UTF-8 strings; bytes that are not valid UTF-8 are rejected rather than silently replaced. */
final class StringCacheSerializer implements CacheSerializer<String>, QuickDecoding {

	static final StringCacheSerializer INSTANCE = new StringCacheSerializer();

	@Override
	public byte[] serialize(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String deserialize(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new CacheSerializationException("stored bytes are not valid UTF-8", ex);
		}
	}

	@Override
	public boolean decodesQuickly() {
		return true;
	}

}
