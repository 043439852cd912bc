package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.near.NearCacheLayer;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * A Redis Cluster reached from Spring Boot's connection details (mapped to seed RedisURIs, no URL
 * in between): spring.data.redis.cluster.nodes, or one spring.data.redis host taken as a seed with
 * app.cache.redis-options.cluster=true.
 */
class CacheKitClusterTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
		.withPropertyValues("app.cache.failure-mode=fail-fast");

	@Test
	void clusterNodesFromSpringDataRedis() {
		String nodes = redis.redisCluster()
			.masters()
			.stream()
			.map((node) -> "127.0.0.1:" + node.port())
			.collect(Collectors.joining(","));
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=" + nodes).run((context) -> {
			serves(context);
			assertThat(context.getBean(RedisCacheBackend.class).getTarget()).isEqualTo("redis://" + nodes);
		});
	}

	@Test
	void oneSeedHostIsAClusterWhenAppCacheSaysSo() {
		int port = redis.redisCluster().masters().get(0).port();
		this.runner
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
					"app.cache.redis-options.cluster=true")
			.run(this::serves);
	}

	/**
	 * The near cache on a cluster, the backend's and a cache's own: kept after a read, and a delete
	 * by another client (a plain socket to the key's master) no longer served once its invalidation
	 * came. How soon that is (within 100 ms) is cache-core's NearCacheClusterTest's to prove, on a
	 * cluster of its own; here the wiring is proven, with a deadline a busy machine cannot miss.
	 */
	@Test
	void nearCachesOnAClusterAreKeptAndInvalidatedByEveryMaster() {
		this.runner
			.withConfiguration(AutoConfigurations.of(CacheKitCacheAutoConfiguration.class,
					org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.data.redis.cluster.nodes=" + nodes(), "app.cache.prefix=snc:",
					"app.cache.near-cache.enabled=true", "app.cache.caches.users.near-cache.enabled=true",
					"app.cache.timeout=2s")
			.run((context) -> {
				serves(context);
				@SuppressWarnings("unchecked")
				RedisCacheBackend<Object> cache = context.getBean(RedisCacheBackend.class);
				NearCacheLayer near = (NearCacheLayer) cache.getLayers()
					.stream()
					.filter(NearCacheLayer.class::isInstance)
					.findFirst()
					.orElseThrow();
				for (int i = 0; i < 20; i++) {
					String key = "k" + i;
					assertThat(await(() -> {
						long hits = near.stats().hits();
						return cache.get(key).equals(Optional.of("v" + key.substring(1))) && near.stats().hits() > hits;
					}, Duration.ofSeconds(5))).as("%s kept", key).isTrue();
				}
				for (int i = 0; i < 20; i++) {
					String key = "k" + i;
					onOwner("DEL", "snc:" + key);
					assertThat(await(() -> cache.get(key).isEmpty(), Duration.ofSeconds(5)))
						.as("%s deleted by another client, no longer served", key).isTrue();
				}
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				org.springframework.cache.Cache users = manager.getCache("users");
				users.put("u1", "Ada");
				NearCacheLayer own = manager.getNearCacheLayers().get("users");
				assertThat(await(() -> {
					long hits = own.stats().hits();
					return "Ada".equals(users.get("u1").get()) && own.stats().hits() > hits;
				}, Duration.ofSeconds(5))).as("the cache's own near cache keeps it").isTrue();
			});
	}

	private static String nodes() {
		return redis.redisCluster()
			.masters()
			.stream()
			.map((node) -> "127.0.0.1:" + node.port())
			.collect(Collectors.joining(","));
	}

	private static void onOwner(String command, String key) {
		for (RedisProcess node : redis.redisCluster().nodes()) {
			try {
				Resp.call(node.host(), node.port(), command, key);
				return;
			}
			catch (Resp.RespErrorException moved) {
				// another node's key
			}
		}
		throw new AssertionError("no node took " + key);
	}

	private static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return condition.getAsBoolean();
	}

	private void serves(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		@SuppressWarnings("unchecked")
		RedisCacheBackend<Object> cache = context.getBean(RedisCacheBackend.class);
		for (int i = 0; i < 20; i++) {
			assertThat(cache.set("k" + i, "v" + i)).isTrue();
		}
		for (int i = 0; i < 20; i++) {
			assertThat(cache.get("k" + i)).contains("v" + i);
		}
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.cache.annotation.EnableCaching
	static class CachingConfiguration {

	}

}
