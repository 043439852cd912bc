package io.cachekit.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.CacheType;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Payload;

/**
 * 1,000 gets in flight: one thread issues 1,000 non-blocking gets of preloaded products through
 * one client, then waits for all of them; the score is gets per second
 * ({@code @OperationsPerInvocation(1000)}). Every client flushes as it does by default (Lettuce:
 * auto-flush, one write per command, for both CacheKit and raw Lettuce), and decodes on its I/O
 * thread. CacheKit, raw Lettuce and Spring Data Redis ({@code RedisCache.retrieve}, through its
 * reactive connection) use one connection; Redisson uses its own connection pool (its default).
 * Fails the iteration if any get missed.
 *
 * <p>Run:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AsyncBenchmark -p impl=cachekit-async,lettuce \
 *     -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * </pre>
 * or everything at once, with its own Redis: {@code benchmarks/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Threads(1)
public class AsyncBenchmark {

	static final int IN_FLIGHT = 1000;

	@Param({ "cachekit-async", "lettuce", "sdr", "redisson" })
	public String impl;

	BenchCache cache;

	Keyspace keyspace;

	int index;

	long failures;

	final CompletableFuture<?>[] pending = new CompletableFuture<?>[IN_FLIGHT];

	@Setup(Level.Trial)
	public void setUp() {
		this.keyspace = new Keyspace(Payload.PRODUCT);
		this.cache = CacheType.of(this.impl).create(Payload.PRODUCT);
		this.keyspace.preload(this.cache);
		this.index = ThreadLocalRandom.current().nextInt(Keyspace.SIZE);
	}

	@TearDown(Level.Iteration)
	public void check() {
		if (this.failures > 0) {
			throw new IllegalStateException(this.failures + " gets missed: not a valid measurement");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cache.close();
	}

	@Benchmark
	@OperationsPerInvocation(IN_FLIGHT)
	public Object inFlight1000() {
		CompletableFuture<?>[] futures = this.pending;
		String[] keys = this.keyspace.readKeys;
		int i0 = this.index;
		for (int i = 0; i < IN_FLIGHT; i++) {
			futures[i] = this.cache.getAsync(keys[(i0 + i) & Keyspace.MASK]);
		}
		this.index = (i0 + IN_FLIGHT) & Keyspace.MASK;
		CompletableFuture.allOf(futures).join();
		Object last = null;
		for (int i = 0; i < IN_FLIGHT; i++) {
			Object value = unwrap(futures[i].join());
			if (value == null) {
				this.failures++;
			}
			last = value;
			futures[i] = null;
		}
		return last;
	}

	/** CacheKit answers {@code Optional}, Spring may answer a {@code ValueWrapper}. */
	private static Object unwrap(Object answer) {
		if (answer instanceof java.util.Optional<?> optional) {
			return optional.orElse(null);
		}
		if (answer instanceof org.springframework.cache.Cache.ValueWrapper wrapper) {
			return wrapper.get();
		}
		return answer;
	}

}
