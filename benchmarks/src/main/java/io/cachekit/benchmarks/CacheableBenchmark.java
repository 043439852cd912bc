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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import io.cachekit.benchmarks.spring.ProductService;
import io.cachekit.benchmarks.spring.SpringContexts;
import io.cachekit.benchmarks.support.CpuPinning;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Product;
import io.cachekit.benchmarks.support.RedisEndpoint;

/**
 * The {@code @Cacheable} hit path through a Spring proxy: {@code productService.find(id)} on one
 * of 256 ids cached beforehand, in a minimal Spring Boot application ({@code @EnableCaching},
 * auto-configuration, no web server), one thread. {@code manager}:
 * <ul>
 * <li>{@code spring-redis}: Spring Boot's {@code RedisCacheManager} ({@code spring.cache.type=redis},
 * Boot's defaults, values as JSON through {@code GenericJacksonJsonRedisSerializer});</li>
 * <li>{@code cachekit-bridge}: {@code CacheKitCacheManager}, auto-configured by
 * {@code cache-spring-boot-starter} from {@code app.cache.redis-url} (its defaults otherwise:
 * JSON recording each value's class, fail-open, 500 ms timeout), without actuator or Micrometer
 * on the class path.</li>
 * </ul>
 * Fails the iteration if the service method ran (a miss) during it.
 *
 * <p>Run:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CacheableBenchmark -p manager=spring-redis \
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
public class CacheableBenchmark {

	@Param({ "spring-redis", "cachekit-bridge" })
	public String manager;

	ConfigurableApplicationContext context;

	ProductService service;

	String[] ids;

	int index;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = switch (this.manager) {
			case "spring-redis" -> SpringContexts.springRedis(RedisEndpoint.port(), java.util.Map.of());
			case "cachekit-bridge" -> SpringContexts.cacheKit(RedisEndpoint.url());
			default -> throw new IllegalArgumentException("unknown manager '" + this.manager + "'");
		};
		String managerClass = this.context.getBean(CacheManager.class).getClass().getName();
		boolean expected = this.manager.equals("spring-redis")
				? managerClass.equals("org.springframework.data.redis.cache.RedisCacheManager")
				: managerClass.startsWith("io.cachekit.");
		if (!expected) {
			throw new IllegalStateException("manager " + this.manager + " got a " + managerClass);
		}
		this.service = this.context.getBean(ProductService.class);
		this.ids = new Keyspace(io.cachekit.benchmarks.support.Payload.PRODUCT).readKeys;
		this.context.getBean(CacheManager.class).getCache("products").clear();
		// First pass fills the cache; then wait until every id is a hit (Spring's default cache
		// writer does not wait for Redis to acknowledge a put).
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		for (String id : this.ids) {
			this.service.find(id);
		}
		do {
			this.service.resetInvocations();
			for (String id : this.ids) {
				Product product = this.service.find(id);
				if (!product.getId().equals(String.format("p-%06d", Integer.parseInt(id.substring(1))))) {
					throw new IllegalStateException("wrong product for " + id + ": " + product);
				}
			}
		}
		while (this.service.invocations() > 0 && System.nanoTime() - deadline < 0);
		if (this.service.invocations() > 0) {
			throw new IllegalStateException("the cache never answered every id with a hit");
		}
		this.index = ThreadLocalRandom.current().nextInt(Keyspace.SIZE);
	}

	@Setup(Level.Iteration)
	public void pin(IterationParams params) {
		CpuPinning.beforeIteration(params);
	}

	@TearDown(Level.Iteration)
	public void check() {
		long misses = this.service.invocations();
		if (misses > 0) {
			throw new IllegalStateException(misses + " calls were misses: not a valid measurement");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public Product cacheableHit() {
		this.index = (this.index + 1) & Keyspace.MASK;
		return this.service.find(this.ids[this.index]);
	}

}
