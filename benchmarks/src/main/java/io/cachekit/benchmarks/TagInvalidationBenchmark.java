package io.cachekit.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Warmup;

import io.cachekit.benchmarks.support.RedisServerProcess;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;

/**
 * Invalidating a group of 100,000 entries: {@code invalidateTag} of the tag they all carry (one
 * increment of the tag's key) against {@code invalidatePattern} of the same entries (SCAN and
 * UNLINK in pages). Before each measured call the 100,000 entries are written again (not
 * measured), so both calls face the same keyspace. Single shot: one call per iteration.
 *
 * <p>Run (about two minutes):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TagInvalidationBenchmark -f 1 -wi 2 -i 5 \
 *     -jvmArgsAppend -Dcachekit.bench.redis-server=/usr/bin/redis-server
 * </pre>
 */
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TagInvalidationBenchmark {

	static final int ENTRIES = 100_000;

	RedisServerProcess server;

	RedisCacheBackend<String> backend;

	@Setup(Level.Trial)
	public void setUp() {
		this.server = RedisServerProcess.start();
		this.backend = RedisCacheBackend.builder(this.server.url())
			.serializer(CacheSerializers.string())
			.prefix("bench:inv:")
			// the writes between calls must all land: a busy machine slows them, and fail-fast says so
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(10))
			.connectTimeout(Duration.ofSeconds(10))
			.layer(LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true)))
			.build();
		this.backend.initialize();
	}

	/** The 100,000 entries of tenant 42, tagged, written again before each call. */
	@Setup(Level.Iteration)
	public void writeEntries() {
		List<String> tags = List.of("tenant:42");
		List<CompletableFuture<Boolean>> writes = new ArrayList<>(1000);
		for (int i = 0; i < ENTRIES; i++) {
			writes.add(this.backend.async().set("tenant:42:item:" + i, "v" + i, null, tags));
			if (writes.size() == 1000) {
				CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
				writes.clear();
			}
		}
		CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
		if (this.backend.get("tenant:42:item:" + (ENTRIES - 1)).isEmpty()) {
			throw new IllegalStateException("the entries are not there");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.backend.shutdown();
		this.server.stop();
	}

	@Benchmark
	public boolean invalidateTag() {
		return this.backend.invalidateTag("tenant:42");
	}

	@Benchmark
	public long invalidatePattern() {
		long removed = this.backend.invalidatePattern("tenant:42:*");
		if (removed != ENTRIES) {
			throw new IllegalStateException("removed " + removed + " entries, not " + ENTRIES);
		}
		return removed;
	}

}
