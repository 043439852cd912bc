package io.cachekit.core.serialization;

import com.github.luben.zstd.Zstd;

/** Zstandard through zstd-jni, level 3 (zstd's default); decompression into a buffer of the declared size only. */
final class ZstdCodec implements Codec {

	private static final int LEVEL = 3;

	ZstdCodec() {
		// loads the native library now, so a platform without it fails where the algorithm is chosen
		Zstd.defaultCompressionLevel();
	}

	@Override
	public byte[] compress(byte[] plain) {
		return Zstd.compress(plain, LEVEL);
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		long written = Zstd.decompressByteArray(target, 0, target.length, source, offset, length);
		if (Zstd.isError(written)) {
			throw new IllegalStateException("zstd: " + Zstd.getErrorName(written));
		}
		if (written != target.length) {
			throw new IllegalStateException("zstd value inflated to " + written + " bytes where its header says " + target.length);
		}
	}

}
