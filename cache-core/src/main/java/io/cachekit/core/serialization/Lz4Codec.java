package io.cachekit.core.serialization;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** LZ4 block format through lz4-java; the safe decompressor only (it checks every bound). */
final class Lz4Codec implements Codec {

	private final LZ4Compressor compressor;

	private final LZ4SafeDecompressor decompressor;

	Lz4Codec() {
		LZ4Factory factory = LZ4Factory.fastestInstance();
		this.compressor = factory.fastCompressor();
		this.decompressor = factory.safeDecompressor();
	}

	@Override
	public byte[] compress(byte[] plain) {
		return this.compressor.compress(plain);
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		int written = this.decompressor.decompress(source, offset, length, target, 0, target.length);
		if (written != target.length) {
			throw new IllegalStateException("LZ4 value inflated to " + written + " bytes where its header says " + target.length);
		}
	}

}
