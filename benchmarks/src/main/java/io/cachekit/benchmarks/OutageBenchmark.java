package io.cachekit.benchmarks;

import java.util.Map;
import java.util.Optional;
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
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.spring.SpringContexts;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.Product;
import io.cachekit.benchmarks.support.RedisServerProcess;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;

/**
 * The cost of one cache call while Redis is down, after the outage is known. Each state starts a
 * {@code redis-server} of its own on a free loopback port ({@link RedisServerProcess}), connects,
 * writes and reads a product, then stops that server through its process handle (so nothing
 * listens on the port any more) and waits until the client has noticed.
 * <ul>
 * <li>{@code cachekitGetDown} / {@code cachekitSetDown}: {@code RedisCacheBackend} with every
 * default (fail-open, 500 ms command timeout, circuit breaker); a few calls are made before
 * measuring so that the breaker has opened. Average time per call; each call must answer a miss
 * or {@code false}, else the iteration fails.</li>
 * <li>{@code springBootDefaultsGetDown}: {@code cacheManager.getCache("products").get(key)} on
 * Spring Boot's {@code RedisCacheManager} with Boot's defaults (Lettuce, no command timeout set,
 * so Lettuce's 60 s; commands queued while disconnected). The call ends with an exception after
 * the timeout: a single call is timed (JMH single-shot).</li>
 * <li>{@code springBoot500msGetDown}: the same with {@code spring.data.redis.timeout=500ms}, to
 * compare at CacheKit's command timeout; five single calls.</li>
 * </ul>
 *
 * <p>Run:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OutageBenchmark \
 *     -jvmArgsAppend -Dcachekit.bench.redis-server=/usr/bin/redis-server
 * </pre>
 * or everything at once: {@code benchmarks/run.sh}. {@code springBootDefaultsGetDown} takes about
 * a minute by design.
 */
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Threads(1)
public class OutageBenchmark {

	static final String KEY = "k1";

	/** CacheKit with its defaults, its Redis stopped. */
	@State(Scope.Benchmark)
	public static class CacheKitDown {

		RedisServerProcess server;

		RedisCacheBackend<Product> backend;

		Product value = (Product) Payload.PRODUCT.value(1);

		long answered;

		@Setup(Level.Trial)
		public void setUp() {
			this.server = RedisServerProcess.start();
			this.backend = RedisCacheBackend.builder(this.server.url())
				.serializer(CacheSerializers.json(Product.class))
				.prefix("bench:outage:")
				.build();
			this.backend.initialize();
			if (!this.backend.set(KEY, this.value) || this.backend.get(KEY).isEmpty()) {
				throw new IllegalStateException("CacheKit did not work before the outage");
			}
			this.server.stop();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.backend.diagnostics().isConnected() && System.nanoTime() - deadline < 0) {
				Keyspace.sleep(10);
			}
			// the outage is known: the connection is down and the breaker has seen the failures
			for (int i = 0; i < 10; i++) {
				this.backend.get(KEY);
			}
			if (this.backend.diagnostics().isConnected() || !this.backend.diagnostics().isCircuitOpen()) {
				throw new IllegalStateException("outage not detected: connected=" + this.backend.diagnostics().isConnected()
						+ ", circuit open=" + this.backend.diagnostics().isCircuitOpen());
			}
		}

		@TearDown(Level.Iteration)
		public void check() {
			if (this.answered > 0) {
				throw new IllegalStateException(this.answered + " calls were answered by a Redis that should be down");
			}
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.backend.close();
			this.server.stop();
		}

	}

	/** Spring Boot's Redis cache with Boot's defaults, its Redis stopped. */
	@State(Scope.Benchmark)
	public static class SpringBootDefaultsDown {

		SpringDown down = new SpringDown();

		@Setup(Level.Trial)
		public void setUp() {
			this.down.start(Map.of());
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.down.stop("springBootDefaultsGetDown");
		}

	}

	/** Spring Boot's Redis cache with {@code spring.data.redis.timeout=500ms}, its Redis stopped. */
	@State(Scope.Benchmark)
	public static class SpringBoot500msDown {

		SpringDown down = new SpringDown();

		@Setup(Level.Trial)
		public void setUp() {
			this.down.start(Map.of("spring.data.redis.timeout", "500ms"));
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			this.down.stop("springBoot500msGetDown");
		}

	}

	static final class SpringDown {

		RedisServerProcess server;

		ConfigurableApplicationContext context;

		Cache cache;

		void start(Map<String, Object> properties) {
			this.server = RedisServerProcess.start();
			this.context = SpringContexts.springRedis(this.server.port(), properties);
			this.cache = this.context.getBean(CacheManager.class).getCache("products");
			this.cache.putIfAbsent(KEY, Payload.PRODUCT.value(1));
			if (this.cache.get(KEY) == null) {
				throw new IllegalStateException("Spring's RedisCache did not work before the outage");
			}
			this.server.stop();
			// Lettuce sees the connection close at once on loopback; give it ample time anyway.
			Keyspace.sleep(1000);
		}

		volatile Object lastAnswer;

		Object get() {
			Object answer;
			try {
				answer = this.cache.get(KEY);
			}
			catch (RuntimeException ex) {
				// what the caller of a @Cacheable method gets with Spring's default error handler
				answer = ex;
			}
			this.lastAnswer = answer;
			return answer;
		}

		void stop(String name) {
			Object answer = this.lastAnswer;
			String described = (answer instanceof Throwable ex) ? ex.getClass().getName() + ": " + ex.getMessage()
					: String.valueOf(answer);
			// read by benchmarks/report.py from the JMH log
			System.out.println("OUTAGE-ANSWER " + name + " " + described.replace('\n', ' '));
			this.context.close();
			this.server.stop();
		}

	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	@Warmup(iterations = 2, time = 1)
	@Measurement(iterations = 3, time = 1)
	public Optional<Product> cachekitGetDown(CacheKitDown state) {
		Optional<Product> answer = state.backend.get(KEY);
		if (answer.isPresent()) {
			state.answered++;
		}
		return answer;
	}

	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	@Warmup(iterations = 2, time = 1)
	@Measurement(iterations = 3, time = 1)
	public boolean cachekitSetDown(CacheKitDown state) {
		boolean stored = state.backend.set(KEY, state.value, BenchCache.TTL);
		if (stored) {
			state.answered++;
		}
		return stored;
	}

	@Benchmark
	@BenchmarkMode(Mode.SingleShotTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	@Warmup(iterations = 0)
	@Measurement(iterations = 1, batchSize = 1)
	public Object springBootDefaultsGetDown(SpringBootDefaultsDown state) {
		return state.down.get();
	}

	@Benchmark
	@BenchmarkMode(Mode.SingleShotTime)
	@OutputTimeUnit(TimeUnit.MILLISECONDS)
	@Warmup(iterations = 0)
	@Measurement(iterations = 5, batchSize = 1)
	public Object springBoot500msGetDown(SpringBoot500msDown state) {
		return state.down.get();
	}

}
