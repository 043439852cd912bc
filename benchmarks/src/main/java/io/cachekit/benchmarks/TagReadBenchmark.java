package io.cachekit.benchmarks;

import java.util.List;
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

import io.cachekit.benchmarks.support.RedisServerProcess;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;

/**
 * The cost of a read of a tagged entry against an untagged one, one thread, a 100-byte string:
 * <ul>
 * <li>{@code entry=untagged-plain}: a backend without a loading layer (a plain GET): the
 * baseline.</li>
 * <li>{@code entry=untagged}: an untagged entry of a backend with tags on
 * ({@code LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true))}).</li>
 * <li>{@code entry=tagged}: an entry with three tags on that backend; the tags' versions are
 * known locally (kept correct by Redis client tracking), so the read is one GET plus a check.</li>
 * </ul>
 *
 * <p>Run (about a minute):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TagReadBenchmark -f 1 -wi 2 -i 3 -w 1 -r 2 \
 *     -jvmArgsAppend -Dcachekit.bench.redis-server=/usr/bin/redis-server
 * </pre>
 */
@Fork(value = 1, jvmArgs = { "-Xms512m", "-Xmx512m" })
@Threads(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TagReadBenchmark {

	static final String VALUE = "v".repeat(100);

	@Param({ "untagged-plain", "untagged", "tagged" })
	String entry;

	RedisServerProcess server;

	RedisCacheBackend<String> backend;

	@Setup(Level.Trial)
	public void setUp() {
		this.server = RedisServerProcess.start();
		var builder = RedisCacheBackend.builder(this.server.url())
			.serializer(CacheSerializers.string())
			.prefix("bench:tags:");
		if (!"untagged-plain".equals(this.entry)) {
			builder.layer(LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true)));
		}
		this.backend = builder.build();
		this.backend.initialize();
		if ("tagged".equals(this.entry)) {
			this.backend.set("k", VALUE, null, List.of("tenant:42", "category:lamps", "catalog"));
		}
		else {
			this.backend.set("k", VALUE);
		}
		if (!VALUE.equals(read())) {
			throw new IllegalStateException("the entry is not there");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.backend.shutdown();
		this.server.stop();
	}

	@Benchmark
	public String read() {
		return this.backend.get("k").orElse(null);
	}

}
