package io.cachekit.benchmarks;

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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.BenchmarkParams;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.CacheType;
import io.cachekit.benchmarks.support.CpuPinning;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Payload;

/**
 * Get hit and set with TTL, one implementation per {@code impl}, one payload per {@code payload}:
 * every call is one blocking round trip to the same Redis. {@code get} reads one of 256
 * preloaded keys (each thread walks them from a random start) and fails the iteration if any read
 * missed; {@code set} overwrites one of 256 other keys with a 10-minute TTL and fails the
 * iteration if any write was refused (a fail-open cache that silently failed would otherwise look
 * fast).
 *
 * <p>Throughput is measured; with {@code T} threads calling back to back, the average latency is
 * exactly {@code T / throughput} (JMH's {@code avgt} mode measures the same thing), which
 * {@code benchmarks/report.py} derives. Allocation per operation comes from {@code -prof gc}, JVM
 * CPU time per operation from {@code -prof io.cachekit.benchmarks.support.CpuTimeProfiler}. The
 * implementations are listed in {@link CacheType}.
 *
 * <p>Run (Redis on 127.0.0.1:6379 unless {@code -Dcachekit.bench.redis.port} is given; add
 * {@code -Dcachekit.bench.pin-cpu=N} to pin the measured JVM to CPU {@code N}, see
 * {@link io.cachekit.benchmarks.support.CpuPinning}):
 * <pre>
 * ./mvnw -B -f benchmarks/pom.xml package
 * java -jar benchmarks/target/benchmarks.jar 'GetSetBenchmark.get$' -t 1 -prof gc \
 *     -p impl=cachekit,lettuce -p payload=product -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * java -jar benchmarks/target/benchmarks.jar GetSetBenchmark -t 8
 * </pre>
 * or everything at once, with its own Redis: {@code benchmarks/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class GetSetBenchmark {

	@Param({ "cachekit", "cachekit-async", "cachekit-object", "lettuce", "sdr", "sdr-immediate", "redisson",
			"cachekit-observed" })
	public String impl;

	@Param({ "product", "string" })
	public String payload;

	BenchCache cache;

	Keyspace keyspace;

	@Setup(Level.Trial)
	public void setUp(BenchmarkParams params) {
		this.keyspace = new Keyspace(Payload.of(this.payload));
		this.cache = CacheType.of(this.impl).create(Payload.of(this.payload));
		if (params.getBenchmark().endsWith(".get")) {
			this.keyspace.preload(this.cache);
		}
	}

	@Setup(Level.Iteration)
	public void pin(IterationParams params) {
		CpuPinning.beforeIteration(params);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cache.close();
	}

	/** Each thread's position in the keyspace and its count of misses or refused writes. */
	@State(Scope.Thread)
	public static class Cursor {

		int index = ThreadLocalRandom.current().nextInt(Keyspace.SIZE);

		long failures;

		int next() {
			this.index = (this.index + 1) & Keyspace.MASK;
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
		Object value = this.cache.get(this.keyspace.readKeys[cursor.next()]);
		if (value == null) {
			cursor.failures++;
		}
		return value;
	}

	@Benchmark
	public boolean set(Cursor cursor) {
		int i = cursor.next();
		boolean stored = this.cache.set(this.keyspace.writeKeys[i], this.keyspace.values[i]);
		if (!stored) {
			cursor.failures++;
		}
		return stored;
	}

}
