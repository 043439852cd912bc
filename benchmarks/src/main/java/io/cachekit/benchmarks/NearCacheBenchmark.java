package io.cachekit.benchmarks;

import java.time.Duration;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Warmup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cachekit.benchmarks.support.RedisEndpoint;
import io.cachekit.benchmarks.support.Zipfian;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;

/**
 * The near cache: a hit of a 1 KB string value against a Redis get of the same value through
 * CacheKit without a near cache, and against a bare Caffeine {@code getIfPresent} ({@code get});
 * and a steady state of 99% reads, 1% writes, keys drawn from a Zipfian distribution (s = 0.99)
 * over 100,000 keys of 100 bytes, with a near cache holding 10% of them or without one
 * ({@code zipf99}), and the same with 50% writes ({@code zipf50}).
 *
 * <p>Run (Redis on 127.0.0.1:6379 unless {@code -Dcachekit.bench.redis.port} is given):
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar 'NearCacheBenchmark.get$' -t 1 -p impl=near,near-stampede,redis,caffeine \
 *     -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * java -jar benchmarks/target/benchmarks.jar NearCacheBenchmark.zipf99 -t 2 -p impl=near,redis
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class NearCacheBenchmark {

	private static final int HOT_KEYS = 256;

	private static final int ZIPF_KEYS = 100_000;

	/**
	 * {@code near}: CacheKit with a near cache; {@code near-async}: the same through
	 * {@code async()}, each future joined; {@code redis}: without; {@code caffeine}: a bare
	 * Caffeine cache; {@code caffeine-clock} (diagnostic, {@code get} only): the same plus one
	 * {@code System.nanoTime()} per read, what the near cache's check of an entry's deadline costs;
	 * {@code near-miss} (diagnostic, {@code get} only): a near cache of one entry, so nearly every
	 * read is a miss, what a miss costs against {@code redis}; {@code near-stampede}: the near
	 * cache under a loading layer with envelopes (early refresh, stale grace: stampede
	 * protection), whose hit is checked for logical expiry on every read (against {@code near};
	 * {@code get} only).
	 */
	@Param({ "near", "near-async", "redis", "caffeine", "caffeine-clock", "near-miss", "near-stampede" })
	public String impl;

	private RedisCacheBackend<String> backend;

	private Cache<String, String> caffeine;

	private Zipfian zipfian;

	private String smallValue;

	private boolean async;

	private boolean clockPerRead;

	@Setup(Level.Trial)
	public void setUp() {
		String value = "x".repeat(1024);
		this.smallValue = "y".repeat(100);
		this.async = this.impl.equals("near-async");
		if (this.impl.startsWith("caffeine")) {
			this.caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
			this.clockPerRead = this.impl.equals("caffeine-clock");
			for (int i = 0; i < HOT_KEYS; i++) {
				this.caffeine.put("hot" + i, value);
			}
			return;
		}
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(RedisEndpoint.url())
			.serializer(CacheSerializers.string())
			.prefix("bench-near:")
			.defaultTtl(Duration.ofMinutes(30));
		if (this.impl.equals("near-miss")) {
			builder.nearCache(NearCache.defaults().withMaxEntries(1));
		}
		else if (this.impl.startsWith("near")) {
			builder.nearCache(NearCache.defaults().withMaxEntries(ZIPF_KEYS / 10));
		}
		if (this.impl.equals("near-stampede")) {
			builder.layer(LoadingLayer
				.of(LoadingSettings.defaults().withEarlyRefresh(true).withStaleGrace(Duration.ofMinutes(1))));
		}
		this.backend = builder.build();
		this.backend.initialize();
		for (int i = 0; i < HOT_KEYS; i++) {
			this.backend.set("hot" + i, value);
		}
		if (this.impl.equals("near-stampede")) {
			// get only: its batch writes are entry by entry, 100,000 of them would outlast the setup
			return;
		}
		Map<String, String> batch = new HashMap<>();
		for (int i = 0; i < ZIPF_KEYS; i++) {
			batch.put("z" + i, this.smallValue);
			if (batch.size() == 5_000) {
				this.backend.setMany(batch);
				batch.clear();
			}
		}
		this.zipfian = new Zipfian(ZIPF_KEYS, 0.99);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		if (this.backend != null) {
			this.backend.close();
		}
	}

	/** One read of one of 256 keys holding 1 KB, every read a hit. */
	@Benchmark
	public Object get() {
		String key = "hot" + ThreadLocalRandom.current().nextInt(HOT_KEYS);
		Object found;
		if (this.caffeine != null) {
			found = this.caffeine.getIfPresent(key);
			if (this.clockPerRead && System.nanoTime() == Long.MIN_VALUE) {
				// never true: only the cost of the clock read (the near cache's deadline check) is wanted
				found = null;
			}
		}
		else if (this.async) {
			found = this.backend.async().get(key).join().orElse(null);
		}
		else {
			found = this.backend.get(key).orElse(null);
		}
		if (found == null) {
			throw new IllegalStateException("missed " + key);
		}
		return found;
	}

	/** 99% reads, 1% writes, Zipfian keys over 100,000 (not for {@code caffeine}). */
	@Benchmark
	public Object zipf99() {
		return zipfOp(1);
	}

	/** 50% reads, 50% writes, Zipfian keys over 100,000 (not for {@code caffeine}). */
	@Benchmark
	public Object zipf50() {
		return zipfOp(50);
	}

	private Object zipfOp(int writePercent) {
		if (this.zipfian == null) {
			throw new IllegalStateException("the Zipfian workloads are for near, near-async and redis only");
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String key = "z" + this.zipfian.next();
		if (random.nextInt(100) < writePercent) {
			return this.backend.set(key, this.smallValue);
		}
		return this.backend.get(key);
	}

}
