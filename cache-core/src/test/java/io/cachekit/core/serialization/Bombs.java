package io.cachekit.core.serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import com.github.luben.zstd.ZstdOutputStream;

/**
 * Decompression bombs in CompressingSerializer's frame: a few MB that inflate to 1 GiB of zeros,
 * made without ever holding the gigabyte (the LZ4 block is written by hand, the zstd frame
 * streamed).
 */
public final class Bombs {

	/** What each bomb inflates to: 1 GiB. */
	public static final long INFLATED = 1L << 30;

	private Bombs() {
	}

	/**
	 * An LZ4 bomb whose header declares {@code declared} bytes.
	 * @param declared the plain size the header declares
	 * @return the framed bomb
	 */
	public static byte[] lz4(long declared) {
		return lz4(declared, INFLATED);
	}

	/**
	 * An LZ4 value inflating to {@code inflated} zeros, its header declaring {@code declared} bytes.
	 * @param declared the plain size the header declares
	 * @param inflated the size it inflates to, at least 64
	 * @return the framed value
	 */
	public static byte[] lz4(long declared, long inflated) {
		// one literal zero, then a match of offset 1 repeating it, then the five literals a block ends with
		long match = inflated - 6;
		long rest = match - 4 - 15;
		int extension = (int) (rest / 255) + 1;
		ByteBuffer block = ByteBuffer.allocate(1 + 1 + 2 + extension + 1 + 5);
		block.put((byte) ((1 << 4) | 15)).put((byte) 0).put((byte) 1).put((byte) 0);
		for (long left = rest; left >= 255; left -= 255) {
			block.put((byte) 255);
		}
		block.put((byte) (rest % 255));
		block.put((byte) (5 << 4)).put(new byte[5]);
		return framed(1, declared, block.array());
	}

	/**
	 * A zstd bomb whose header declares {@code declared} bytes.
	 * @param declared the plain size the header declares
	 * @return the framed bomb
	 */
	public static byte[] zstd(long declared) {
		return zstd(declared, INFLATED);
	}

	/**
	 * A zstd value inflating to {@code inflated} zeros (a multiple of 1 MiB), its header declaring {@code declared} bytes.
	 * @param declared the plain size the header declares
	 * @param inflated the size it inflates to
	 * @return the framed value
	 */
	public static byte[] zstd(long declared, long inflated) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] zeros = new byte[1 << 20];
		try (ZstdOutputStream zstd = new ZstdOutputStream(out, 1)) {
			for (long written = 0; written < inflated; written += zeros.length) {
				zstd.write(zeros);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return framed(2, declared, out.toByteArray());
	}

	private static byte[] framed(int algorithm, long declared, byte[] payload) {
		return ByteBuffer.allocate(9 + payload.length).put(new byte[] { 0, 'C', 'K', 'Z' }).put((byte) algorithm)
			.putInt((int) declared).put(payload).array();
	}

}
