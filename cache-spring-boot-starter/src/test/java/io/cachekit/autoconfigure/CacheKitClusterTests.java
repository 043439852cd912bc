package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

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

}
