package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.spring.metrics.CacheKitCacheMeterBinder;
import io.cachekit.test.RedisExtension;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Stampede protection through the bridge: two application instances on one Redis. */
class CacheKitStampedeTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	static final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

	private final CacheEngineFixture engine = engine();

	private final ApplicationContextRunner contextRunner = this.engine.apply(new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(Config.class))
		.withPropertyValues("app.cache.prefix=st:",
				"app.cache.json.trusted-packages=io.cachekit.spring", "app.cache.loading.enabled=true",
				"app.cache.caches.tuned.loading.early-refresh=true", "app.cache.caches.tuned.loading.beta=2",
				"app.cache.caches.tuned.loading.ttl-jitter=0.1", "app.cache.caches.tuned.loading.time-to-idle=5m",
				"app.cache.caches.tuned.loading.stale-grace=30s", "app.cache.caches.plain.loading.enabled=false");

	/**
	 * Where the caches live: this test's Redis (cache-test runs the scenarios on the in-memory engine).
	 * @return the engine
	 */
	CacheEngineFixture engine() {
		return CacheEngineFixture.redis(redis);
	}

	@BeforeEach
	@AfterEach
	void clean() {
		this.engine.call("FLUSHALL");
		loads.clear();
	}

	@Test
	void twoInstancesOfEightThreadsRunACacheableMethodOncePerKey() {
		this.contextRunner.run((one) -> this.contextRunner.run((two) -> {
			List<Service> services = List.of(one.getBean(Service.class), two.getBean(Service.class));
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				for (int round = 0; round < 5; round++) {
					String key = "k" + round;
					CyclicBarrier start = new CyclicBarrier(16);
					List<Future<String>> calls = new ArrayList<>();
					for (int i = 0; i < 16; i++) {
						Service service = services.get(i % 2);
						boolean async = i % 4 >= 2;
						calls.add(pool.submit(() -> {
							start.await();
							return async ? service.findAsync(key).get(10, TimeUnit.SECONDS) : service.find(key);
						}));
					}
					for (Future<String> call : calls) {
						assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo("value-" + key);
					}
					assertThat(loads.get(key)).as("loads of %s", key).hasValue(1);
				}
			}
			finally {
				pool.shutdownNow();
			}
		}));
	}

	@Test
	void perCacheSettingsOverrideTheDefaultsAndACacheCanOptOut() {
		this.contextRunner.run((context) -> {
			CacheManager manager = context.getBean(CacheManager.class);
			LoadingSettings tuned = ((CacheKitCache) manager.getCache("tuned")).getConfiguration().getLoading();
			assertThat(tuned).isNotNull();
			assertThat(tuned.isEarlyRefresh()).isTrue();
			assertThat(tuned.getBeta()).isEqualTo(2.0);
			assertThat(tuned.getTtlJitter()).isEqualTo(0.1);
			assertThat(tuned.getTimeToIdle()).isEqualTo(Duration.ofMinutes(5));
			assertThat(tuned.getStaleGrace()).isEqualTo(Duration.ofSeconds(30));
			assertThat(tuned.getLeaseTime()).isEqualTo(LoadingSettings.DEFAULT_LEASE_TIME);
			assertThat(((CacheKitCache) manager.getCache("plain")).getLoadingStats()).isNull();
			assertThat(((CacheKitCache) manager.getCache("dynamic")).getConfiguration().getLoading()).isNotNull();
		});
	}

	@Test
	void aBadSettingFailsStartUpNamingItsProperty() {
		this.contextRunner.withPropertyValues("app.cache.caches.bad.loading.ttl-jitter=1.5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.cache.caches.bad.loading.ttl-jitter"));
	}

	@Test
	void nullResultsAreCachedOrNotAsTheCacheSays() {
		this.contextRunner.withPropertyValues("app.cache.caches.strict.cache-null-values=false").run((context) -> {
			Service service = context.getBean(Service.class);
			assertThat(service.nothing("a")).isNull();
			assertThat(service.nothing("a")).isNull();
			assertThat(loads.get("nothing-a")).hasValue(1);
			assertThat(service.strict("b")).isNull();
			assertThat(service.strict("b")).isNull();
			assertThat(loads.get("strict-b")).hasValue(2);
			assertThat(this.engine.call("EXISTS", "st:strict::b")).isEqualTo(0L);
		});
	}

	@Test
	void theLoadingMetersOfACacheCountItsLoads() {
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			service.find("m");
			service.find("m");
			CacheKitCache cache = (CacheKitCache) context.getBean(CacheManager.class).getCache("hot");
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new CacheKitCacheMeterBinder(cache, Tags.empty()).bindTo(registry);
			assertThat(registry.get("cache.loads").tag("cache", "hot").functionCounter().count()).isEqualTo(1.0);
			assertThat(registry.get("cache.stale.served").functionCounter().count()).isZero();
			assertThat(cache.getHitCount()).isEqualTo(1);
			assertThat(cache.getMissCount()).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Config {

		@Bean
		Service service() {
			return new Service();
		}

	}

	static class Service {

		@Cacheable(cacheNames = "hot", sync = true)
		public String find(String key) throws InterruptedException {
			loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			Thread.sleep(300);
			return "value-" + key;
		}

		@Cacheable(cacheNames = "hot", sync = true)
		public CompletableFuture<String> findAsync(String key) {
			loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			return CompletableFuture.supplyAsync(() -> "value-" + key, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
		}

		@Cacheable(cacheNames = "nulls", sync = true)
		public String nothing(String key) {
			loads.computeIfAbsent("nothing-" + key, (k) -> new AtomicInteger()).incrementAndGet();
			return null;
		}

		@Cacheable(cacheNames = "strict", sync = true)
		public String strict(String key) {
			loads.computeIfAbsent("strict-" + key, (k) -> new AtomicInteger()).incrementAndGet();
			return null;
		}

	}

}
