package io.cachekit.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.cachekit.benchmarks.support.Product;
import io.cachekit.core.CacheSerializer;

/**
 * What compression adds to a value's encoding, without Redis: {@code serialize} (JSON, then
 * compression above the threshold) and {@code deserialize} (the reverse) of the values of
 * {@link CompressionBenchmark}, per {@code kb} and {@code compression}, in microseconds per call.
 * CPU only, so less disturbed by a busy machine than the round trips of
 * {@link CompressionBenchmark}; compare each compression with {@code none} of the same run.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CompressionCodecBenchmark -f 1 -wi 2 -i 3 -w 1 -r 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class CompressionCodecBenchmark {

	@Param({ "1", "10", "100" })
	public int kb;

	@Param({ "none", "lz4", "zstd" })
	public String compression;

	CacheSerializer<Product[]> serializer;

	Product[] value;

	byte[] stored;

	@Setup(Level.Trial)
	public void setUp() {
		this.serializer = CompressionSizes.serializer(CompressionBenchmark.compression(this.compression));
		this.value = CompressionSizes.value(this.kb, 7);
		this.stored = this.serializer.serialize(this.value);
	}

	@Benchmark
	public byte[] serialize() {
		return this.serializer.serialize(this.value);
	}

	@Benchmark
	public Product[] deserialize() {
		return this.serializer.deserialize(this.stored);
	}

}
