package io.cachekit.loading;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The stored form of an entry of a cache with early refresh or stale grace: a 16-byte header,
 * then the value as the cache's serializer writes it.
 *
 * <pre>
 * offset  size  content
 *  0      4     magic and version: 'C' 'K' 'E' 0x01
 *  4      8     logical expiry, epoch milliseconds, big-endian (0: none)
 * 12      4     recompute time (XFetch's delta), milliseconds, big-endian
 * 16      ...   the serialized value
 * </pre>
 */
final class Envelope {

	static final int HEADER = 16;

	private static final byte[] MAGIC = { 'C', 'K', 'E', 1 };

	private Envelope() {
	}

	static byte[] wrap(byte[] value, long expiresAtMillis, long deltaMillis) {
		ByteBuffer buffer = ByteBuffer.allocate(HEADER + value.length);
		buffer.put(MAGIC).putLong(expiresAtMillis).putInt((int) Math.min(Integer.MAX_VALUE, Math.max(0, deltaMillis)));
		buffer.put(value);
		return buffer.array();
	}

	static boolean isEnvelope(byte[] stored) {
		return stored.length >= HEADER && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
	}

	static long expiresAt(byte[] stored) {
		return ByteBuffer.wrap(stored, 4, 8).getLong();
	}

	static long delta(byte[] stored) {
		return ByteBuffer.wrap(stored, 12, 4).getInt();
	}

	static byte[] value(byte[] stored) {
		return Arrays.copyOfRange(stored, HEADER, stored.length);
	}

}
