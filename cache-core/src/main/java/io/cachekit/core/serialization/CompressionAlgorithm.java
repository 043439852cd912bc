package io.cachekit.core.serialization;

/**
 * How {@link Compression} compresses values. Each codec's library is an optional dependency the
 * application adds: LZ4 needs {@code at.yawk.lz4:lz4-java} (the maintained lz4-java, package
 * {@code net.jpountz.lz4}), zstd {@code com.github.luben:zstd-jni}.
 */
public enum CompressionAlgorithm {

	/** Values are written as they are (compressed ones already stored are still read). */
	NONE,

	/** LZ4 block format, lz4-java's fastest implementation: fast, about 2-4x on JSON. */
	LZ4,

	/** Zstandard at level 3, zstd-jni: smaller than LZ4, more CPU. */
	ZSTD

}
