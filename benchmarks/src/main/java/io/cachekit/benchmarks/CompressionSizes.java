package io.cachekit.benchmarks;

import java.util.Locale;

import io.cachekit.benchmarks.support.Product;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.core.serialization.Compression;

/**
 * The values of {@link CompressionBenchmark} and the bytes each takes in Redis with each
 * compression (the serializer's output is the stored value, byte for byte): prints one row per
 * size, the mean over the benchmark's 64 values. Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.cachekit.benchmarks.CompressionSizes}.
 */
public final class CompressionSizes {

	private CompressionSizes() {
	}

	/** The JSON serializer of the benchmark's values, compressed as {@code compression} says. */
	static CacheSerializer<Product[]> serializer(Compression compression) {
		return CacheSerializers.compressed(CacheSerializers.json(Product[].class), compression);
	}

	/** About {@code kb} KB of JSON: {@code kb} catalogue products (each about 1 KB), the {@code i}-th value. */
	static Product[] value(int kb, int i) {
		Product[] products = new Product[kb];
		for (int p = 0; p < kb; p++) {
			products[p] = io.cachekit.benchmarks.support.Payload.PRODUCT.value(i * 1000 + p) instanceof Product product
					? product : null;
		}
		return products;
	}

	/**
	 * Prints the mean stored bytes per value for each size and compression, and the ratio to none.
	 * @param args none
	 */
	public static void main(String[] args) {
		String[] names = { "none", "lz4", "zstd" };
		System.out.println("| JSON | none (bytes) | lz4 (bytes) | lz4 / none | zstd (bytes) | zstd / none |");
		System.out.println("|---|---|---|---|---|---|");
		for (int kb : new int[] { 1, 10, 100 }) {
			double[] mean = new double[names.length];
			for (int n = 0; n < names.length; n++) {
				CacheSerializer<Product[]> serializer = serializer(CompressionBenchmark.compression(names[n]));
				long total = 0;
				for (int i = 0; i < CompressionBenchmark.KEYS; i++) {
					total += serializer.serialize(value(kb, i)).length;
				}
				mean[n] = (double) total / CompressionBenchmark.KEYS;
			}
			System.out.println(String.format(Locale.ROOT, "| %d KB | %.0f | %.0f | %.2f | %.0f | %.2f |", kb, mean[0], mean[1],
					mean[1] / mean[0], mean[2], mean[2] / mean[0]));
		}
	}

}
