package io.cachekit.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * The cost of a read of a tagged entry against an untagged one, one thread, a 100-byte string,
 * the three reads interleaved in every operation so that a shared machine's load falls on each
 * alike (sequential JMH parameters each met another load):
 * <ul>
 * <li>{@code plain}: an untagged entry of a backend without a loading layer (one GET): the
 * baseline;</li>
 * <li>{@code untagged}: an untagged entry of a backend with tags on
 * ({@code LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true))});</li>
 * <li>{@code tagged}: an entry with three tags on that backend, whose versions are known locally
 * (kept correct by Redis client tracking): one GET plus the check.</li>
 * </ul>
 * JMH's score is the time of the three reads; each read's own mean and the ratios are printed at
 * the end of each iteration and of the trial ({@code [tags] ...}).
 *
 * <p>Run (about a minute):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TagReadBenchmark -f 1 -wi 3 -i 6 -w 1 -r 2 \
 *     -jvmArgsAppend -Dcachekit.bench.redis-server=/usr/bin/redis-server
 * </pre>
 */
@Fork(value = 1, jvmArgs = { "-Xms512m", "-Xmx512m" })
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TagReadBenchmark {

	static final String VALUE = "v".repeat(100);

	RedisServerProcess server;

	RedisCacheBackend<String> plain;

	RedisCacheBackend<String> tags;

	long plainNanos;

	long untaggedNanos;

	long taggedNanos;

	long reads;

	long trialPlain;

	long trialUntagged;

	long trialTagged;

	long trialReads;

	boolean measuring;

	@Setup(Level.Trial)
	public void setUp() {
		this.server = RedisServerProcess.start();
		this.plain = backend(false);
		this.tags = backend(true);
		this.plain.set("plain", VALUE);
		this.tags.set("untagged", VALUE);
		this.tags.set("tagged", VALUE, null, List.of("tenant:42", "category:lamps", "catalog"));
		if (!VALUE.equals(this.plain.get("plain").orElse(null)) || !VALUE.equals(this.tags.get("untagged").orElse(null))
				|| !VALUE.equals(this.tags.get("tagged").orElse(null))) {
			throw new IllegalStateException("the entries are not there");
		}
	}

	private RedisCacheBackend<String> backend(boolean tagged) {
		var builder = RedisCacheBackend.builder(this.server.url())
			.serializer(CacheSerializers.string())
			.prefix("bench:tags:")
			.commandTimeout(Duration.ofSeconds(5))
			.connectTimeout(Duration.ofSeconds(10));
		if (tagged) {
			builder.layer(LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true)));
		}
		RedisCacheBackend<String> backend = builder.build();
		backend.initialize();
		return backend;
	}

	@Setup(Level.Iteration)
	public void startIteration() {
		this.plainNanos = 0;
		this.untaggedNanos = 0;
		this.taggedNanos = 0;
		this.reads = 0;
	}

	/** Prints this iteration's means; the measured iterations (after the warmups) add to the trial's. */
	@TearDown(Level.Iteration)
	public void endIteration(org.openjdk.jmh.infra.IterationParams params) {
		boolean measured = params.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT;
		if (measured) {
			this.trialPlain += this.plainNanos;
			this.trialUntagged += this.untaggedNanos;
			this.trialTagged += this.taggedNanos;
			this.trialReads += this.reads;
		}
		print(measured ? "iteration" : "warmup", this.plainNanos, this.untaggedNanos, this.taggedNanos, this.reads);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		print("trial", this.trialPlain, this.trialUntagged, this.trialTagged, this.trialReads);
		this.plain.shutdown();
		this.tags.shutdown();
		this.server.stop();
	}

	private static void print(String what, long plain, long untagged, long tagged, long reads) {
		if (reads == 0) {
			return;
		}
		System.out.printf("%n[tags] %s: %d reads each; mean plain %.1f us, untagged %.1f us, tagged %.1f us;"
				+ " tagged/plain %.3f, tagged/untagged %.3f%n", what, reads, plain / 1e3 / reads, untagged / 1e3 / reads,
				tagged / 1e3 / reads, (double) tagged / plain, (double) tagged / untagged);
	}

	@Benchmark
	public int threeReads() {
		long t0 = System.nanoTime();
		String a = this.plain.get("plain").orElse(null);
		long t1 = System.nanoTime();
		String b = this.tags.get("untagged").orElse(null);
		long t2 = System.nanoTime();
		String c = this.tags.get("tagged").orElse(null);
		long t3 = System.nanoTime();
		this.plainNanos += t1 - t0;
		this.untaggedNanos += t2 - t1;
		this.taggedNanos += t3 - t2;
		this.reads++;
		return ((a != null) ? 1 : 0) + ((b != null) ? 1 : 0) + ((c != null) ? 1 : 0);
	}

}
