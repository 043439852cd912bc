package io.cachekit.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.spring.BulkProductService;
import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.RedisEndpoint;
import io.cachekit.core.CacheBackend;

/**
 * Bulk caching against a loop of single lookups, through Spring proxies on CacheKit's starter
 * (its defaults, {@code app.cache.redis-url}: JSON recording each value's class), one thread: 100
 * ids looked up by one {@code @BulkCacheable} call ({@code bulk}) or by 100 {@code @Cacheable}
 * calls ({@code loop}), values of {@code payload} (a ~1 KB product, a 100-byte string), with
 * {@code hits} percent of them cached beforehand (before each call, the others are deleted
 * in one command outside the measured time). Both methods share the cache entries. The iteration
 * fails if the services loaded another number of ids than the hit ratio says.
 *
 * <p>Run (a short run on a shared machine):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BulkCacheableBenchmark -f 1 -wi 2 -i 3 -w 1 -r 2 \
 *     -jvmArgsAppend -Dcachekit.bench.redis.port=6379
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Threads(1)
public class BulkCacheableBenchmark {

	private static final int IDS = 100;

	@Param({ "0", "50", "100" })
	public int hits;

	@Param({ "product", "string" })
	public String payload;

	ConfigurableApplicationContext context;

	BulkProductService service;

	CacheBackend<?> backend;

	List<String> ids;

	List<String> missingKeys;

	/** The cache's keys in the backend, for the floor ({@link #getMany}). */
	List<String> keys;

	long calls;

	/** The application: {@code @EnableCaching} and the two services. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	public static class BulkApp {

		@Bean
		BulkProductService bulkProductService() {
			return new BulkProductService();
		}

	}

	@Setup(Level.Trial)
	public void setUp() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("app.cache.redis-url", RedisEndpoint.url());
		properties.put("app.cache.json.trusted-packages", "io.cachekit.benchmarks");
		properties.put("app.cache.default-ttl", BenchCache.TTL.toString());
		properties.put("app.cache.prefix", "bulkbench:");
		properties.put("logging.level.root", "WARN");
		this.context = new SpringApplicationBuilder(BulkApp.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.run();
		this.service = this.context.getBean(BulkProductService.class);
		this.service.setPayload(Payload.of(this.payload));
		this.backend = this.context.getBean(CacheBackend.class);
		this.backend.clear(); // nothing of another trial's payload
		this.keys = new ArrayList<>();
		this.ids = new ArrayList<>();
		this.missingKeys = new ArrayList<>();
		int missing = IDS - IDS * this.hits / 100;
		for (int i = 0; i < IDS; i++) {
			String id = "k" + i;
			this.ids.add(id);
			this.keys.add("bulk-values::" + id);
			// spread the misses over the list: every other id at 50 %
			if ((this.hits == 0) || (this.hits == 50 && i % 2 == 1)) {
				this.missingKeys.add("bulk-values::" + id);
			}
		}
		if (this.missingKeys.size() != missing) {
			throw new IllegalStateException("hits must be 0, 50 or 100");
		}
		this.service.findAll(this.ids);
	}

	@Setup(Level.Invocation)
	public void evictMisses() {
		if (!this.missingKeys.isEmpty()) {
			this.backend.deleteMany(this.missingKeys);
		}
	}

	@Setup(Level.Iteration)
	public void resetCounts() {
		this.service.resetLoaded();
		this.calls = 0;
	}

	@TearDown(Level.Iteration)
	public void checkHitRatio() {
		long expected = this.calls * this.missingKeys.size();
		if (this.service.loaded() != expected) {
			throw new IllegalStateException(this.service.loaded() + " ids loaded in " + this.calls + " calls, expected "
					+ expected + ": not a valid measurement");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public Object bulk() {
		this.calls++;
		return this.service.findAll(this.ids);
	}

	/**
	 * The floor of any bulk path: the backend's own {@code getMany} of the 100 entries (one MGET,
	 * 100 values decoded), without Spring; a miss is not loaded. Counted as no call.
	 */
	@Benchmark
	public Object getMany() {
		return this.backend.getMany(this.keys);
	}

	@Benchmark
	public void loop(Blackhole blackhole) {
		this.calls++;
		for (String id : this.ids) {
			blackhole.consume(this.service.find(id));
		}
	}

}
