package io.cachekit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.Blackhole;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.CacheType;
import io.cachekit.benchmarks.support.CpuPinning;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Payload;

/**
 * Reading 100 keys: one {@code getMany} of 100 keys (one MGET) against 100 single blocking
 * {@code get}s, one thread. Each operation is the whole batch of 100, so the ratio of the two
 * throughputs is the speed-up of {@code getMany}. Both fail the iteration if a key was missing.
 * With the product payload, decoding 100 values (~100 KB of JSON) is most of a getMany; the
 * string payload shows the speed-up when decoding is cheap.
 *
 * <p>Run:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar GetManyBenchmark -p impl=cachekit,lettuce -p payload=product \
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
public class GetManyBenchmark {

	static final int BATCH = 100;

	/** Spring's Cache has no multi-get, so Spring Data Redis is not in this scenario. */
	@Param({ "cachekit", "lettuce", "redisson" })
	public String impl;

	@Param({ "product", "string" })
	public String payload;

	BenchCache cache;

	Keyspace keyspace;

	List<List<String>> windows;

	int index;

	long failures;

	@Setup(Level.Trial)
	public void setUp() {
		this.keyspace = new Keyspace(Payload.of(this.payload));
		this.cache = CacheType.of(this.impl).create(Payload.of(this.payload));
		this.keyspace.preload(this.cache);
		this.windows = new ArrayList<>(Keyspace.SIZE);
		for (int start = 0; start < Keyspace.SIZE; start++) {
			List<String> window = new ArrayList<>(BATCH);
			for (int i = 0; i < BATCH; i++) {
				window.add(this.keyspace.readKeys[(start + i) & Keyspace.MASK]);
			}
			this.windows.add(List.copyOf(window));
		}
		this.index = ThreadLocalRandom.current().nextInt(Keyspace.SIZE);
	}

	@Setup(Level.Iteration)
	public void pin(IterationParams params) {
		CpuPinning.beforeIteration(params);
	}

	@TearDown(Level.Iteration)
	public void check() {
		if (this.failures > 0) {
			throw new IllegalStateException(this.failures + " batches came back incomplete: not a valid measurement");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.cache.close();
	}

	private List<String> nextWindow() {
		this.index = (this.index + 1) & Keyspace.MASK;
		return this.windows.get(this.index);
	}

	@Benchmark
	public Map<String, Object> getMany100() {
		Map<String, Object> found = this.cache.getMany(nextWindow());
		if (found.size() != BATCH) {
			this.failures++;
		}
		return found;
	}

	@Benchmark
	public void get100Single(Blackhole blackhole) {
		List<String> window = nextWindow();
		for (int i = 0; i < BATCH; i++) {
			Object value = this.cache.get(window.get(i));
			if (value == null) {
				this.failures++;
			}
			blackhole.consume(value);
		}
	}

}
