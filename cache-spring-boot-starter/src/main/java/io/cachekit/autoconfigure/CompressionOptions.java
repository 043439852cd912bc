package io.cachekit.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.cachekit.core.serialization.Compression;
import io.cachekit.core.serialization.CompressionAlgorithm;

/**
 * Compression of stored values: the backend's ({@code app.cache.compression.*}) and a cache's own
 * ({@code app.cache.caches.<name>.compression.*}, unset values the backend's). The defaults are
 * {@link Compression}'s.
 */
public class CompressionOptions extends CacheKitProperties.Overridable<CompressionOptions> {

	/**
	 * Compression of stored values: none, lz4 (needs at.yawk.lz4:lz4-java) or zstd (needs
	 * com.github.luben:zstd-jni). Compressed and plain values are read side by side.
	 */
	private CompressionAlgorithm algorithm = CompressionAlgorithm.NONE;

	/** Size of a serialized value below which it is stored as it is. */
	private DataSize threshold = DataSize.ofBytes(Compression.DEFAULT_THRESHOLD);

	/**
	 * Most a stored value may inflate to when read; a value over it is a miss (unreadable), and
	 * larger values are stored uncompressed.
	 */
	private DataSize maxDecompressedSize = DataSize.ofBytes(Compression.DEFAULT_MAX_DECOMPRESSED_SIZE);

	/**
	 * Compression of stored values: none, lz4 or zstd.
	 * @return the configured value
	 */
	public CompressionAlgorithm getAlgorithm() {
		return this.algorithm;
	}

	/**
	 * Compression of stored values: none, lz4 or zstd.
	 * @param algorithm the new value
	 */
	public void setAlgorithm(CompressionAlgorithm algorithm) {
		mark("algorithm");
		this.algorithm = algorithm;
	}

	/**
	 * Size of a serialized value below which it is stored as it is.
	 * @return the configured value
	 */
	public DataSize getThreshold() {
		return this.threshold;
	}

	/**
	 * Size of a serialized value below which it is stored as it is.
	 * @param threshold the new value
	 */
	public void setThreshold(DataSize threshold) {
		mark("threshold");
		this.threshold = threshold;
	}

	/**
	 * Most a stored value may inflate to when read.
	 * @return the configured value
	 */
	public DataSize getMaxDecompressedSize() {
		return this.maxDecompressedSize;
	}

	/**
	 * Most a stored value may inflate to when read.
	 * @param maxDecompressedSize the new value
	 */
	public void setMaxDecompressedSize(DataSize maxDecompressedSize) {
		mark("maxDecompressedSize");
		this.maxDecompressedSize = maxDecompressedSize;
	}

	/**
	 * The compression these settings describe over {@code parent}'s (each unset value the parent's),
	 * its algorithm's library checked.
	 * @param parent app.cache.compression, or {@code null} for app.cache.compression itself
	 * @param property where these settings are bound (app.cache.compression or
	 *     app.cache.caches.NAME.compression), named by the exception for a bad value
	 * @return the compression settings
	 * @throws InvalidCacheKitConfigurationException naming the property of a bad value or a missing library
	 */
	public Compression resolve(@Nullable CompressionOptions parent, String property) {
		CompressionAlgorithm chosen = over(parent, "algorithm", this.algorithm, CompressionOptions::getAlgorithm);
		long below = over(parent, "threshold", this.threshold, CompressionOptions::getThreshold).toBytes();
		long max = over(parent, "maxDecompressedSize", this.maxDecompressedSize, CompressionOptions::getMaxDecompressedSize)
			.toBytes();
		Compression algorithm = Compression.of(chosen);
		Compression sized = CacheKitAutoConfiguration.check(property + ".threshold",
				() -> algorithm.withThreshold((int) Math.min(Integer.MAX_VALUE, below)));
		Compression compression = CacheKitAutoConfiguration.check(property + ".max-decompressed-size",
				() -> sized.withMaxDecompressedSize((int) Math.min(Integer.MAX_VALUE - 16, max)));
		try {
			// the codec's library, checked at start-up rather than at the first write
			compression.wrap(io.cachekit.core.serialization.CacheSerializers.bytes());
		}
		catch (IllegalStateException ex) {
			throw new InvalidCacheKitConfigurationException(property + ".algorithm", ex.getMessage());
		}
		return compression;
	}

}
