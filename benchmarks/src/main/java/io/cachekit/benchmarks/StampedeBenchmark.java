package io.cachekit.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

import io.cachekit.benchmarks.support.RedisServerProcess;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;

/**
 * A hot key read through its expiries: 16 threads call {@code getOrLoad} on one key whose loader
 * takes 50 ms, with a TTL of 500 ms, so the key expires about twice a second. Sample time (JMH
 * {@code SampleTime}) gives the p99 and max latency of a read; at the end of each iteration the
 * loader calls are printed against the expiries (TTLs of wall time) the iteration spanned, with
 * the reads that took as long as a load.
 * <ul>
 * <li>{@code protection=off}: a backend without a loading layer: {@code getOrLoad} is GET, load,
 * SET, so every reader that finds the key expired loads it (and waits 50 ms).</li>
 * <li>{@code protection=coalesce}: the {@link LoadingLayer} without early refresh: one load per
 * expiry (under the lease), the other readers wait for it.</li>
 * <li>{@code protection=on}: the {@link LoadingLayer} with early refresh (XFetch, beta 1): one
 * reader refreshes the key in the background before it expires, the others keep reading.</li>
 * <li>{@code protection=on-beta0.3}: the same with beta 0.3 (later, so fewer, refreshes).</li>
 * </ul>
 *
 * <p>Run (about two minutes):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar StampedeBenchmark \
 *     -jvmArgsAppend -Dcachekit.bench.redis-server=/usr/bin/redis-server
 * </pre>
 */
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Threads(16)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StampedeBenchmark {

	static final String KEY = "hot";

	static final Duration TTL = Duration.ofMillis(500);

	static final long LOAD_MILLIS = 50;

	/** One backend (and its Redis) for all threads, with or without stampede protection. */
	@State(Scope.Benchmark)
	public static class HotKey {

		@Param({ "off", "coalesce", "on", "on-beta0.3" })
		String protection;

		RedisServerProcess server;

		RedisCacheBackend<String> backend;

		final AtomicLong loads = new AtomicLong();

		final AtomicLong slowReads = new AtomicLong();

		long slowAtStart;

		long iterationStart;

		long loadsAtStart;

		@Setup(Level.Trial)
		public void setUp() {
			this.server = RedisServerProcess.start();
			var builder = RedisCacheBackend.builder(this.server.url())
				.serializer(CacheSerializers.string())
				.prefix("bench:stampede:");
			switch (this.protection) {
				case "coalesce" -> builder.layer(LoadingLayer.of(LoadingSettings.defaults()));
				case "on" -> builder.layer(LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true)));
				case "on-beta0.3" -> builder.layer(LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withBeta(0.3)));
				default -> {
				}
			}
			this.backend = builder.build();
			this.backend.initialize();
			if (!"v".equals(load())) {
				throw new IllegalStateException("the hot key did not load");
			}
		}

		String load() {
			return this.backend.getOrLoad(KEY, () -> {
				this.loads.incrementAndGet();
				Thread.sleep(LOAD_MILLIS);
				return "v";
			}, TTL);
		}

		@Setup(Level.Iteration)
		public void startIteration() {
			this.iterationStart = System.nanoTime();
			this.loadsAtStart = this.loads.get();
			this.slowAtStart = this.slowReads.get();
		}

		@TearDown(Level.Iteration)
		public void countLoads() {
			double expiries = (System.nanoTime() - this.iterationStart) / (double) TTL.toNanos();
			long loaded = this.loads.get() - this.loadsAtStart;
			System.out.printf("%n[stampede] protection=%s: %d loader calls over %.1f expiries = %.2f per expiry;"
					+ " %d reads took %d ms or more%n", this.protection, loaded, expiries, loaded / expiries,
					this.slowReads.get() - this.slowAtStart, LOAD_MILLIS);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.backend.close();
			this.server.stop();
		}

	}

	@Benchmark
	public String readHotKey(HotKey state) {
		long start = System.nanoTime();
		String value = state.load();
		if (System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(LOAD_MILLIS)) {
			state.slowReads.incrementAndGet();
		}
		if (!"v".equals(value)) {
			throw new IllegalStateException("read " + value);
		}
		return value;
	}

}
