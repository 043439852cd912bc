package io.cachekit.inmemory.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * A cache with a value type, stampede protection and near cache settings over the in-memory
 * backend ({@code app.cache.in-memory=true}), through the starter's wiring as over Redis; the near
 * cache is left out (README: it needs Redis client tracking). The starter's own bridge scenarios
 * run on the in-memory engine in {@code io.cachekit.spring.InMemoryCacheKit*Tests}.
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
				"app.cache.caches.products.near-cache.enabled=true");

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

	}

}
