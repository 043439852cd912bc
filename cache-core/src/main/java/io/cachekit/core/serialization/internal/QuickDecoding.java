package io.cachekit.core.serialization.internal;

import io.cachekit.core.CacheSerializer;

/**
 * A serializer whose decoding is bounded and cheap for a small input: CacheKit's own JSON, string
 * and bytes serializers, and the wrappers around them. The engine decodes a value of such a
 * serializer of at most {@link #INLINE_LIMIT} bytes on the thread its reply arrives on, instead of
 * handing it to the decode executor (a hand-over costs more than decoding a small value); larger
 * values, and every value of any other serializer (the JDK one, an application's own), go to the
 * executor, so that no large or hostile value holds up the connection's other replies.
 */
public interface QuickDecoding {

	/** The largest value, in bytes, decoded where its reply arrives. */
	int INLINE_LIMIT = 4096;

	/**
	 * Whether this serializer decodes a small input quickly and within a bound (a wrapper answers
	 * for what it wraps).
	 * @return whether small values may be decoded on an I/O thread
	 */
	boolean decodesQuickly();

	/**
	 * Whether {@code length} bytes read for {@code serializer} may be decoded where the reply arrived.
	 * @param serializer the serializer that will decode them
	 * @param length how many bytes
	 * @return whether to decode them in place
	 */
	static boolean inPlace(CacheSerializer<?> serializer, long length) {
		return length <= INLINE_LIMIT && quick(serializer);
	}

	/**
	 * Whether {@code serializer} is a {@link QuickDecoding} one that says it decodes quickly.
	 * @param serializer a serializer
	 * @return whether it decodes small inputs quickly
	 */
	static boolean quick(CacheSerializer<?> serializer) {
		return serializer instanceof QuickDecoding quick && quick.decodesQuickly();
	}

}
