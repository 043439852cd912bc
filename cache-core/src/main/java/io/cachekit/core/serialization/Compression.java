package io.cachekit.core.serialization;

import java.util.Objects;

import io.cachekit.core.CacheSerializer;

/**
 * Immutable compression settings: the algorithm, the size below which values are stored as they
 * are, and the most a stored value may inflate to when read. {@link #wrap} puts them around a
 * serializer; every change answers a new instance.
 * <p>
 * Compressed values carry a 9-byte header ({@code 00 43 4B 5A}, the algorithm, the plain size),
 * which no JSON document, Java serialization stream or text starts with, so compressed and plain
 * values are read side by side: switching compression on (or changing the algorithm) needs no
 * flush. A value whose header declares more than {@link #getMaxDecompressedSize()}, or that
 * inflates past what its header declares, is refused as unreadable
 * ({@link io.cachekit.core.CacheSerializationException}: a miss in fail-open), having allocated at
 * most that size: a decompression bomb cannot exhaust memory.
 */
public final class Compression {

	/** Values smaller than this many bytes (serialized) are stored as they are: 512. */
	public static final int DEFAULT_THRESHOLD = 512;

	/** The most a stored value may inflate to when read: 16 MiB. Larger values are stored uncompressed. */
	public static final int DEFAULT_MAX_DECOMPRESSED_SIZE = 16 * 1024 * 1024;

	private final CompressionAlgorithm algorithm;

	private final int threshold;

	private final int maxDecompressedSize;

	private Compression(CompressionAlgorithm algorithm, int threshold, int maxDecompressedSize) {
		this.algorithm = algorithm;
		this.threshold = threshold;
		this.maxDecompressedSize = maxDecompressedSize;
	}

	/**
	 * No compression: {@link #wrap} answers the serializer as it is.
	 * @return settings without compression
	 */
	public static Compression none() {
		return of(CompressionAlgorithm.NONE);
	}

	/**
	 * LZ4 with the default threshold and limit.
	 * @return LZ4 settings
	 */
	public static Compression lz4() {
		return of(CompressionAlgorithm.LZ4);
	}

	/**
	 * Zstandard with the default threshold and limit.
	 * @return zstd settings
	 */
	public static Compression zstd() {
		return of(CompressionAlgorithm.ZSTD);
	}

	/**
	 * {@code algorithm} with the default threshold and limit.
	 * @param algorithm the algorithm
	 * @return the settings
	 */
	public static Compression of(CompressionAlgorithm algorithm) {
		return new Compression(Objects.requireNonNull(algorithm, "algorithm must not be null"), DEFAULT_THRESHOLD,
				DEFAULT_MAX_DECOMPRESSED_SIZE);
	}

	/**
	 * Values smaller than {@code bytes} (serialized) are stored as they are.
	 * @param bytes the threshold, at least 0
	 * @return a copy with that threshold
	 * @throws IllegalArgumentException when negative
	 */
	public Compression withThreshold(int bytes) {
		if (bytes < 0) {
			throw new IllegalArgumentException("threshold must not be negative but was " + bytes);
		}
		return new Compression(this.algorithm, bytes, this.maxDecompressedSize);
	}

	/**
	 * The most a stored value may inflate to when read; a value over it is refused as unreadable,
	 * and values larger than it are written uncompressed (so that they stay readable).
	 * @param bytes the limit, positive
	 * @return a copy with that limit
	 * @throws IllegalArgumentException when not positive
	 */
	public Compression withMaxDecompressedSize(int bytes) {
		if (bytes <= 0) {
			throw new IllegalArgumentException("maxDecompressedSize must be positive but was " + bytes);
		}
		return new Compression(this.algorithm, this.threshold, bytes);
	}

	/**
	 * {@code serializer} writing values compressed with these settings and reading compressed and
	 * plain values alike; with {@link CompressionAlgorithm#NONE}, {@code serializer} itself.
	 * @param <T> the value type
	 * @param serializer the serializer of the values
	 * @return the compressing serializer
	 * @throws IllegalStateException when the algorithm's library is not on the class path
	 */
	public <T> CacheSerializer<T> wrap(CacheSerializer<T> serializer) {
		Objects.requireNonNull(serializer, "serializer must not be null");
		if (this.algorithm == CompressionAlgorithm.NONE) {
			return serializer;
		}
		return new CompressingSerializer<>(serializer, this.algorithm, Codecs.of(this.algorithm), this.threshold,
				this.maxDecompressedSize);
	}

	/**
	 * The algorithm.
	 * @return the algorithm
	 */
	public CompressionAlgorithm getAlgorithm() {
		return this.algorithm;
	}

	/**
	 * The size in bytes below which values are stored as they are.
	 * @return the threshold
	 */
	public int getThreshold() {
		return this.threshold;
	}

	/**
	 * The most a stored value may inflate to when read, in bytes.
	 * @return the limit
	 */
	public int getMaxDecompressedSize() {
		return this.maxDecompressedSize;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Compression that && this.algorithm == that.algorithm && this.threshold == that.threshold
				&& this.maxDecompressedSize == that.maxDecompressedSize;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.algorithm, this.threshold, this.maxDecompressedSize);
	}

	@Override
	public String toString() {
		return "Compression[" + this.algorithm.name().toLowerCase(java.util.Locale.ROOT) + ", threshold=" + this.threshold
				+ ", maxDecompressedSize=" + this.maxDecompressedSize + "]";
	}

}
