package io.cachekit.inmemory.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

import org.junit.jupiter.api.Test;
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
import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.spring.CacheKitCache;

/**
 * The starter's bridge over the in-memory backend ({@code app.cache.in-memory=true}), through
 * the same wiring as over Redis: the scenarios of the starter's caching and stampede tests that
 * README says the in-memory backend supports (value types, loading settings, one load per key
 * per JVM for {@code sync = true}, null handling).
 */
class InMemoryCachingTests {

	static final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(InMemoryCacheKitAutoConfiguration.class, CacheKitAutoConfiguration.class,
				CacheKitCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(Config.class)
		.withPropertyValues("app.cache.in-memory=true", "app.cache.prefix=mem:",
				"app.cache.json.trusted-packages=io.cachekit.inmemory",
				"app.cache.caches.products.value-type=" + Product.class.getName(),
				"app.cache.caches.products.loading.enabled=true", "app.cache.caches.products.loading.ttl-jitter=0.1",
				"app.cache.caches.products.near-cache.enabled=true", "app.cache.caches.strict.cache-null-values=false");

	@Test
	void aCacheWithAValueTypeALoadingLayerAndANearCacheSettingWorksInMemory() {
		loads.clear();
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			assertThat(service.product("p1")).isEqualTo(new Product("p1", "Lamp"));
			assertThat(service.product("p1")).isEqualTo(new Product("p1", "Lamp"));
			assertThat(loads.get("product-p1")).hasValue(1);
			CacheKitCache cache = (CacheKitCache) context.getBean(CacheManager.class).getCache("products");
			assertThat(cache.getConfiguration().getValueType()).isEqualTo(Product.class);
			assertThat(cache.getConfiguration().getLoading()).isNotNull();
			assertThat(cache.getLoadingStats()).as("the cache's stampede protection").isNotNull();
			assertThat(cache.getHitCount()).isEqualTo(1);
			assertThat(cache.getMissCount()).isEqualTo(1);
			// README: a near cache needs Redis client tracking, which the in-memory engine has not
			assertThat(cache.getNearCacheStats()).isNull();
			InMemoryCacheBackend<?> backend = context.getBean(InMemoryCacheBackend.class);
			byte[] stored = backend.store().getBytes("mem:products::p1").orElseThrow();
			assertThat(new String(stored, StandardCharsets.UTF_8)).as("plain JSON of the value type")
				.isEqualTo("{\"id\":\"p1\",\"name\":\"Lamp\"}");
		});
	}

	@Test
	void syncLoadsOncePerKeyUnderConcurrentCallersBlockingAndAsync() {
		loads.clear();
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				for (int round = 0; round < 3; round++) {
					String key = "k" + round;
					CyclicBarrier start = new CyclicBarrier(8);
					List<Future<String>> calls = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						boolean async = i % 2 == 1;
						calls.add(pool.submit(() -> {
							start.await();
							return async ? service.slowAsync(key).get(10, TimeUnit.SECONDS) : service.slow(key);
						}));
					}
					for (Future<String> call : calls) {
						assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo("value-" + key);
					}
					assertThat(loads.get("slow-" + key)).as("loads of %s", key).hasValue(1);
				}
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	void nullResultsAreCachedOrNotAsTheCacheSays() {
		loads.clear();
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			assertThat(service.nothing("a")).isNull();
			assertThat(service.nothing("a")).isNull();
			assertThat(loads.get("nothing-a")).hasValue(1);
			assertThat(service.strict("b")).isNull();
			assertThat(service.strict("b")).isNull();
			assertThat(loads.get("strict-b")).hasValue(2);
			assertThat(context.getBean(InMemoryCacheBackend.class).store().contains("mem:strict::b")).isFalse();
		});
	}

	/** A value of a cache with a value type. */
	record Product(String id, String name) {
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

		private static void count(String key) {
			loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		}

		@Cacheable(cacheNames = "products", sync = true)
		public Product product(String id) {
			count("product-" + id);
			return new Product(id, "Lamp");
		}

		@Cacheable(cacheNames = "slow", sync = true)
		public String slow(String key) throws InterruptedException {
			count("slow-" + key);
			Thread.sleep(300);
			return "value-" + key;
		}

		@Cacheable(cacheNames = "slow", sync = true)
		public CompletableFuture<String> slowAsync(String key) {
			count("slow-" + key);
			return CompletableFuture.supplyAsync(() -> "value-" + key, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
		}

		@Cacheable(cacheNames = "nulls", sync = true)
		public String nothing(String key) {
			count("nothing-" + key);
			return null;
		}

		@Cacheable(cacheNames = "strict", sync = true)
		public String strict(String key) {
			count("strict-" + key);
			return null;
		}

	}

}
