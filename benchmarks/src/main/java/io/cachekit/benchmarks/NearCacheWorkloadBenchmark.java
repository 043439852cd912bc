package io.cachekit.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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

import io.cachekit.benchmarks.near.NearClient;
import io.cachekit.benchmarks.near.Workload;
import io.cachekit.benchmarks.near.WorkloadRun;
import io.cachekit.benchmarks.support.RedisEndpoint;

/**
 * The near cache's workload matrix, 4 threads sharing one client: each {@link Workload}
 * ({@code zipf99}, {@code hotkey}, {@code zipf50}, {@code large}, {@code churn}) against each
 * client ({@code none}: CacheKit without a near cache; {@code near}, {@code near-broadcast}:
 * CacheKit's near cache with default or broadcast tracking; {@code lettuce-csc}: Lettuce's
 * {@code ClientSideCaching}, not correct under the invalidation race; {@code redisson-local}:
 * Redisson's {@code RLocalCachedMap}). An operation that fails (while connections are killed)
 * is counted, not thrown; the count, and the near cache's statistics, are printed after each
 * iteration.
 *
 * <p>Run (Redis on 127.0.0.1:6379 unless {@code -Dcachekit.bench.redis.port} is given; the
 * first trial of a data set loads it, about 100 MB for {@code large}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NearCacheWorkloadBenchmark -p workload=zipf99 \
 *     -p impl=none,near -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class NearCacheWorkloadBenchmark {

	/** The workload (see {@link Workload}). */
	@Param({ "zipf99", "hotkey", "zipf50", "large", "churn" })
	public String workload;

	/** The client (see {@link NearClient#open}). */
	@Param({ "none", "near", "near-broadcast", "lettuce-csc", "redisson-local" })
	public String impl;

	private WorkloadRun run;

	private final LongAdder failures = new LongAdder();

	@Setup(Level.Trial)
	public void setUp() {
		this.run = WorkloadRun.start(this.impl, RedisEndpoint.url(), Workload.of(this.workload));
	}

	@TearDown(Level.Iteration)
	public void report() {
		System.out.println(this.run.describe(this.failures.sumThenReset()));
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.run.close();
	}

	/** One read, or (the workload's share of the time) one write, of a key of the workload. */
	@Benchmark
	public Object op() {
		Workload w = this.run.workload();
		String key = w.key(this.run.keys().next());
		try {
			if (w.writePercent() > 0 && ThreadLocalRandom.current().nextInt(100) < w.writePercent()) {
				this.run.client().set(key, this.run.value());
				return key;
			}
			return this.run.client().get(key);
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			return ex;
		}
	}

}
