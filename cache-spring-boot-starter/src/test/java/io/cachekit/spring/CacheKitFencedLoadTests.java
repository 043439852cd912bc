package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.metrics.CacheKitCacheMeterBinder;
import io.cachekit.test.RedisExtension;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Through the bridge: an eviction or a put while a {@code @Cacheable(sync = true)} load runs is
 * not undone by the load's write, and {@code cache.loads.discarded} counts the value left out.
 */
class CacheKitFencedLoadTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Test
	void anEvictionOrAPutDuringALoadIsNotUndoneAndIsCounted() throws Exception {
		try (RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url())
			.prefix("fence-bridge:")
			.commandTimeout(Duration.ofSeconds(5)) // a busy machine must not turn a put into a miss
			.build()) {
			backend.initialize();
			CacheKitCacheManager manager = CacheKitCacheManager.builder(backend)
				.initialCaches(Map.of("hot", CacheKitCacheConfiguration.defaults().withLoading(LoadingSettings.defaults()),
						"plain", CacheKitCacheConfiguration.defaults()))
				.build();
			manager.afterPropertiesSet();
			for (String name : new String[] { "hot", "plain" }) {
				CacheKitCache cache = (CacheKitCache) manager.getCache(name);
				cache.clear();
				for (boolean evict : new boolean[] { true, false }) {
					String key = evict ? "evicted" : "put";
					CountDownLatch started = new CountDownLatch(1);
					CountDownLatch release = new CountDownLatch(1);
					CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> cache.get(key, () -> {
						started.countDown();
						assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
						return "loaded";
					}));
					assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
					if (evict) {
						cache.evict(key);
					}
					else {
						cache.put(key, "written");
					}
					release.countDown();
					assertThat(load.get(30, TimeUnit.SECONDS)).isEqualTo("loaded");
					if (evict) {
						assertThat(cache.get(key)).as("%s: the eviction stays", name).isNull();
					}
					else {
						assertThat(cache.get(key).get()).as("%s: the put stays", name).isEqualTo("written");
					}
				}
			}
			CacheKitCache hot = (CacheKitCache) manager.getCache("hot");
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new CacheKitCacheMeterBinder(hot, Tags.empty()).bindTo(registry);
			assertThat(registry.get("cache.loads.discarded").tag("cache", "hot").functionCounter().count()).isEqualTo(2.0);
		}
	}

}
