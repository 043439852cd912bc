package io.cachekit.loading;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of a tagged entry: the 16-byte header of an {@link Envelope} under its own
 * magic, its tags with the versions they had when it was written, then the value as the cache's
 * serializer writes it.
 *
 * <pre>
 * offset  size  content
 *  0      4     magic and version: 'C' 'K' 'T' 0x01
 *  4      8     logical expiry, epoch milliseconds, big-endian (0: none)
 * 12      4     recompute time, milliseconds, big-endian
 * 16      2     number of tags n
 * 18      ...   n times: tag length (2), tag (UTF-8), version (8)
 *  ...    ...   the serialized value
 * </pre>
 */
final class TagEnvelope {

	private static final byte[] MAGIC = { 'C', 'K', 'T', 1 };

	private TagEnvelope() {
	}

	static byte[] wrap(byte[] value, long expiresAtMillis, long deltaMillis, List<String> tags, long[] versions) {
		byte[][] names = new byte[tags.size()][];
		int size = Envelope.HEADER + 2 + value.length;
		for (int i = 0; i < names.length; i++) {
			names[i] = tags.get(i).getBytes(StandardCharsets.UTF_8);
			if (names[i].length > 0xFFFF) {
				throw new IllegalArgumentException("a tag must be at most 65535 bytes long");
			}
			size += 2 + names[i].length + 8;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.put(MAGIC).putLong(expiresAtMillis).putInt((int) Math.min(Integer.MAX_VALUE, Math.max(0, deltaMillis)));
		buffer.putShort((short) names.length);
		for (int i = 0; i < names.length; i++) {
			buffer.putShort((short) names[i].length).put(names[i]).putLong(versions[i]);
		}
		buffer.put(value);
		return buffer.array();
	}

	static boolean isTagged(byte[] stored) {
		return stored.length >= Envelope.HEADER + 2 && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
	}

	/** A tagged entry's parts. */
	record Parts(long expiresAtMillis, long deltaMillis, List<String> tags, long[] versions, byte[] value) {
	}

	static Parts read(byte[] stored) {
		ByteBuffer buffer = ByteBuffer.wrap(stored);
		buffer.position(MAGIC.length);
		long expiresAt = buffer.getLong();
		long delta = buffer.getInt();
		int count = Short.toUnsignedInt(buffer.getShort());
		String[] tags = new String[count];
		long[] versions = new long[count];
		for (int i = 0; i < count; i++) {
			int length = Short.toUnsignedInt(buffer.getShort());
			tags[i] = new String(stored, buffer.position(), length, StandardCharsets.UTF_8);
			buffer.position(buffer.position() + length);
			versions[i] = buffer.getLong();
		}
		byte[] value = Arrays.copyOfRange(stored, buffer.position(), stored.length);
		return new Parts(expiresAt, delta, List.of(tags), versions, value);
	}

}
