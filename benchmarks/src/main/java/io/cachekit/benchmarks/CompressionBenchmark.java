package io.cachekit.benchmarks;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.Compression;
import io.cachekit.core.serialization.CompressionAlgorithm;
import io.cachekit.benchmarks.support.RedisEndpoint;
import io.cachekit.redis.RedisCacheBackend;

/**
 * Compression's cost and gain: get hit and set (one blocking round trip each) of about 1, 10 and
 * 100 KB of JSON ({@code kb} catalogue products, {@link CompressionSizes}) with
 * {@code compression} none (the baseline, measured in the same run), lz4 or zstd, through
 * {@code CacheSerializers.compressed(CacheSerializers.json(Product[].class), ...)} at the default
 * threshold (512 bytes). The bytes each value takes in Redis come from {@link CompressionSizes}
 * (deterministic, no Redis needed). Each call misses or is refused: the iteration fails.
 *
 * <p>Run (Redis on 127.0.0.1:6379 unless {@code -Dcachekit.bench.redis.port} is given):
 * <pre>
 * ./mvnw -o -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.cachekit.benchmarks.CompressionSizes
 * java -jar benchmarks/target/benchmarks.jar CompressionBenchmark -f 1 -wi 2 -i 3 -w 1 -r 2 \
 *     -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class CompressionBenchmark {

	/** Keys per benchmark: enough that values come from Redis, not from a CPU cache of one value. */
	static final int KEYS = 64;

	@Param({ "1", "10", "100" })
	public int kb;

	@Param({ "none", "lz4", "zstd" })
	public String compression;

	RedisCacheBackend<io.cachekit.benchmarks.support.Product[]> backend;

	io.cachekit.benchmarks.support.Product[][] values;

	@Setup(Level.Trial)
	public void setUp() {
		CacheSerializer<io.cachekit.benchmarks.support.Product[]> serializer = CompressionSizes.serializer(compression(this.compression));
		this.backend = RedisCacheBackend.builder(RedisEndpoint.url()).serializer(serializer)
			.prefix("bench:zip:" + this.kb + ":" + this.compression + ":")
			// a shared, loaded machine: a slow reply is measured, not answered as a fail-open miss
			.commandTimeout(java.time.Duration.ofSeconds(5))
			.build();
		this.backend.initialize();
		this.values = new io.cachekit.benchmarks.support.Product[KEYS][];
		for (int i = 0; i < KEYS; i++) {
			this.values[i] = CompressionSizes.value(this.kb, i);
			if (!this.backend.set("r" + i, this.values[i])) {
				throw new IllegalStateException("preload refused");
			}
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.backend.clear();
		this.backend.shutdown();
	}

	static Compression compression(String name) {
		return Compression.of(CompressionAlgorithm.valueOf(name.toUpperCase(Locale.ROOT)));
	}

	/** Each thread's position among the keys and its count of misses or refused writes. */
	@State(Scope.Thread)
	public static class Cursor {

		int index = ThreadLocalRandom.current().nextInt(KEYS);

		long failures;

		int next() {
			this.index = (this.index + 1) % KEYS;
			return this.index;
		}

		@TearDown(Level.Iteration)
		public void check() {
			if (this.failures > 0) {
				throw new IllegalStateException(this.failures + " calls missed or were refused: not a valid measurement");
			}
		}

	}

	@Benchmark
	public Object get(Cursor cursor) {
		Object value = this.backend.get("r" + cursor.next()).orElse(null);
		if (value == null) {
			cursor.failures++;
		}
		return value;
	}

	@Benchmark
	public boolean set(Cursor cursor) {
		int i = cursor.next();
		boolean stored = this.backend.set("w" + i, this.values[i]);
		if (!stored) {
			cursor.failures++;
		}
		return stored;
	}

}
