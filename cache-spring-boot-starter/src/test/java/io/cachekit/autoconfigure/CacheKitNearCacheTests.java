package io.cachekit.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.metrics.CacheKitMetricsAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.near.OutageMode;
import io.cachekit.near.TrackingMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.health.CacheKitHealthIndicator;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** app.cache.near-cache.* and app.cache.caches.<name>.near-cache.*: wiring, metrics, health. */
class CacheKitNearCacheTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.prefix=near:");

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> assertThat(context.getBean(RedisCacheBackend.class).getLayers()).isEmpty());
	}

	@Test
	void everyPropertyIsApplied() {
		this.contextRunner
			.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.near-cache.max-entries=5",
					"app.cache.near-cache.max-local-ttl=2s", "app.cache.near-cache.tracking=broadcast",
					"app.cache.near-cache.copy-on-read=true", "app.cache.near-cache.outage-mode=serve-within-local-ttl",
					"app.cache.near-cache.heartbeat=250ms")
			.run((context) -> {
				RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
				assertThat(backend.getLayers()).singleElement().isInstanceOfSatisfying(NearCacheLayer.class,
						(layer) -> assertThat(layer.settings()).isEqualTo(NearCache.defaults()
							.withMaxEntries(5)
							.withMaxLocalTtl(Duration.ofSeconds(2))
							.withTracking(TrackingMode.BROADCAST)
							.withCopyOnRead(true)
							.withOutageMode(OutageMode.SERVE_WITHIN_LOCAL_TTL)
							.withHeartbeat(Duration.ofMillis(250))));
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				cache.set("k", "v");
				NearCacheLayer layer = (NearCacheLayer) backend.getLayers().get(0);
				// broadcast: Redis also pushes the invalidation of this backend's own write, which may
				// drop the first value kept; a later read keeps it for good
				long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
				while (layer.stats().hits() == 0 && System.nanoTime() < deadline) {
					assertThat(cache.get("k")).contains("v");
				}
				assertThat(layer.stats().hits()).isPositive();
			});
	}

	@Test
	void badValuesNameTheProperty() {
		this.contextRunner.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.near-cache.max-entries=0")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("app.cache.near-cache.max-entries"));
		this.contextRunner.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.near-cache.heartbeat=0s")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("app.cache.near-cache.heartbeat"));
	}

	@Test
	void aCacheHasANearCacheOfItsOwnOrNone() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.users.near-cache.enabled=true",
					"app.cache.caches.users.near-cache.max-entries=7", "app.cache.caches.plain.ttl=60s")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				Cache users = manager.getCache("users");
				users.put("u1", "Ada");
				assertThat(users.get("u1").get()).isEqualTo("Ada");
				assertThat(users.get("u1").get()).isEqualTo("Ada");
				NearCacheLayer layer = manager.getNearCacheLayers().get("users");
				assertThat(layer.settings().maxEntries()).isEqualTo(7);
				assertThat(layer.stats().hits()).isEqualTo(1);
				assertThat(manager.getNearCacheLayers()).containsOnlyKeys("users");
			});
		this.contextRunner
			.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.caches.orders.near-cache.enabled=false")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				NearCacheLayer shared = (NearCacheLayer) context.getBean(RedisCacheBackend.class).getLayers().get(0);
				Cache orders = manager.getCache("orders");
				orders.put("o1", "book");
				orders.get("o1");
				orders.get("o1");
				assertThat(shared.stats().hits() + shared.stats().misses()).as("orders has no near cache").isZero();
				Cache other = manager.getCache("other");
				other.put("x", "y");
				other.get("x");
				other.get("x");
				assertThat(shared.stats().hits()).as("other caches share the backend's").isEqualTo(1);
			});
	}

	@Test
	void aCacheWithItsOwnNearCacheAndALoadingLayerUsesBoth() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.users.near-cache.enabled=true", "app.cache.caches.users.loading.enabled=true")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				Cache users = manager.getCache("users");
				assertThat(users.get("u2", () -> "Grace")).isEqualTo("Grace");
				NearCacheLayer layer = manager.getNearCacheLayers().get("users");
				readUntilKept(users, layer, "u2", "Grace");
				assertThat(layer.stats().hits()).as("plain reads go through the near cache under the loading layer")
					.isPositive();
			});
	}

	/**
	 * A cache with stampede protection of its own (early refresh, stale grace: entries in
	 * envelopes) and a near cache: a near hit through the bridge, a lookup or a sync load, reaches
	 * Redis with no read at all (Redis' command statistics).
	 */
	@Test
	void aNearHitOfACacheWithStampedeProtectionSendsNoCommand() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.users.near-cache.enabled=true", "app.cache.caches.users.loading.enabled=true",
					"app.cache.caches.users.loading.early-refresh=true", "app.cache.caches.users.loading.stale-grace=30s")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				Cache users = manager.getCache("users");
				assertThat(users.get("u3", () -> "Ada")).isEqualTo("Ada");
				NearCacheLayer layer = manager.getNearCacheLayers().get("users");
				readUntilKept(users, layer, "u3", "Ada");
				long hits = layer.stats().hits();
				Resp.call("127.0.0.1", redis.process().port(), "CONFIG", "RESETSTAT");
				for (int i = 0; i < 50; i++) {
					assertThat(users.get("u3").get()).isEqualTo("Ada");
					assertThat(users.get("u3", () -> "loaded")).isEqualTo("Ada");
				}
				String stats = String.valueOf(Resp.call("127.0.0.1", redis.process().port(), "INFO", "commandstats"));
				assertThat(stats).as("no read reached Redis").doesNotContain("cmdstat_get:", "cmdstat_evalsha:",
						"cmdstat_eval:", "cmdstat_pttl:");
				assertThat(layer.stats().hits()).isGreaterThanOrEqualTo(hits + 100);
			});
	}

	/**
	 * Reads {@code key} until the near cache answers it (for up to 2 s): Redis' invalidation of
	 * the loader's write may drop the first value kept; a later read keeps it.
	 */
	private static void readUntilKept(Cache cache, NearCacheLayer layer, String key, Object value) {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		long hits = layer.stats().hits();
		while (layer.stats().hits() == hits && System.nanoTime() < deadline) {
			assertThat(cache.get(key).get()).isEqualTo(value);
		}
	}

	@Test
	void metersAndHealthShowTheNearCache() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(CacheKitMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.caches.users.near-cache.max-entries=3")
			.run((context) -> {
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				cache.set("k", "v");
				cache.get("k");
				cache.get("k");
				context.getBean(CacheKitCacheManager.class).getCache("users").put("u", "v");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("cachekit.near.hits").tag("cache", "*").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("cachekit.near.misses").tag("cache", "*").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("cachekit.near.size").tag("cache", "*").gauge().value()).isEqualTo(1);
				assertThat(registry.get("cachekit.near.flushes").tag("cause", "SERVER_FLUSH").functionCounters()).isNotEmpty();
				assertThat(registry.get("cachekit.near.hits").tag("cache", "users").functionCounter()).isNotNull();
				Health health = new CacheKitHealthIndicator(context.getBean(RedisCacheBackend.class)).health(true);
				@SuppressWarnings("unchecked")
				Map<String, Object> near = (Map<String, Object>) health.getDetails().get("nearCache");
				assertThat(near).containsEntry("size", 1L).containsEntry("hits", 1L).containsKey("flushes");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
