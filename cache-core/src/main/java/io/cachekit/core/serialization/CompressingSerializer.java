package io.cachekit.core.serialization;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * A serializer's bytes compressed above a threshold, behind a header: {@code 00 43 4B 5A}
 * ({@code "\0CKZ"}), one byte of algorithm ({@code 0}: stored plain, {@code 1}: LZ4, {@code 2}:
 * zstd) and the plain size (4 bytes, big-endian). Bytes without the header are the delegate's own
 * (written before compression was on, or below the threshold); a plain value that happens to start
 * with the magic is written with a header of algorithm {@code 0}, so every value reads back as
 * written. A value of any algorithm is read whatever this one writes, when its library is present.
 *
 * @param <T> the value type
 */
final class CompressingSerializer<T> implements CacheSerializer<T> {

	private static final byte[] MAGIC = { 0, 'C', 'K', 'Z' };

	static final int HEADER = MAGIC.length + 1 + 4;

	private static final byte STORED = 0;

	private final CacheSerializer<T> delegate;

	private final CompressionAlgorithm algorithm;

	private final Codec codec;

	private final int threshold;

	private final int maxDecompressedSize;

	CompressingSerializer(CacheSerializer<T> delegate, CompressionAlgorithm algorithm, Codec codec, int threshold,
			int maxDecompressedSize) {
		this.delegate = delegate;
		this.algorithm = algorithm;
		this.codec = codec;
		this.threshold = threshold;
		this.maxDecompressedSize = maxDecompressedSize;
	}

	@Override
	public byte[] serialize(T value) {
		byte[] plain = this.delegate.serialize(value);
		if (plain.length >= this.threshold && plain.length <= this.maxDecompressedSize) {
			byte[] compressed = this.codec.compress(plain);
			// stored compressed only when that is smaller, header included
			if (compressed.length + HEADER < plain.length) {
				return framed(code(this.algorithm), plain.length, compressed);
			}
		}
		return startsWithMagic(plain) ? framed(STORED, plain.length, plain) : plain;
	}

	@Override
	public T deserialize(byte[] bytes) {
		if (!startsWithMagic(bytes)) {
			return this.delegate.deserialize(bytes);
		}
		if (bytes.length < HEADER) {
			throw new CacheSerializationException("compressed value of " + bytes.length + " bytes has no complete header", null);
		}
		ByteBuffer header = ByteBuffer.wrap(bytes, MAGIC.length, HEADER - MAGIC.length);
		byte code = header.get();
		int size = header.getInt();
		if (size < 0 || size > this.maxDecompressedSize) {
			throw new CacheSerializationException("compressed value declares " + Integer.toUnsignedString(size)
					+ " bytes, over the limit of " + this.maxDecompressedSize + " (max-decompressed-size): refused", null);
		}
		if (code == STORED) {
			if (bytes.length - HEADER != size) {
				throw new CacheSerializationException("stored value has " + (bytes.length - HEADER) + " bytes where its header says "
						+ size, null);
			}
			return this.delegate.deserialize(Arrays.copyOfRange(bytes, HEADER, bytes.length));
		}
		byte[] plain = new byte[size];
		try {
			codecOf(code).decompress(bytes, HEADER, bytes.length - HEADER, plain);
		}
		catch (CacheSerializationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CacheSerializationException("compressed value cannot be decompressed within its declared " + size
					+ " bytes: refused", ex);
		}
		return this.delegate.deserialize(plain);
	}

	private Codec codecOf(byte code) {
		CompressionAlgorithm stored = switch (code) {
			case 1 -> CompressionAlgorithm.LZ4;
			case 2 -> CompressionAlgorithm.ZSTD;
			default -> throw new CacheSerializationException("compressed value of unknown algorithm " + code, null);
		};
		if (stored == this.algorithm) {
			return this.codec;
		}
		try {
			return Codecs.of(stored);
		}
		catch (IllegalStateException ex) {
			throw new CacheSerializationException("value compressed with " + stored + " cannot be read: " + ex.getMessage(), ex);
		}
	}

	private static byte code(CompressionAlgorithm algorithm) {
		return (byte) ((algorithm == CompressionAlgorithm.LZ4) ? 1 : 2);
	}

	private static byte[] framed(byte code, int plainSize, byte[] payload) {
		return ByteBuffer.allocate(HEADER + payload.length).put(MAGIC).put(code).putInt(plainSize).put(payload).array();
	}

	private static boolean startsWithMagic(byte[] bytes) {
		return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
	}

	@Override
	public String toString() {
		return "CompressingSerializer[" + this.algorithm + ", threshold=" + this.threshold + ", " + this.delegate + "]";
	}

}
