package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * An application without {@code spring-boot-data-redis} reaches a local Redis Cluster from
 * {@code spring.data.redis.cluster.nodes} alone. Before, the nodes were ignored and CacheKit
 * connected to localhost:6379.
 */
class WithoutSpringBootDataRedisClusterTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Test
	void clusterNodesFromSpringDataRedisAlone() {
		String nodes = redis.redisCluster()
			.masters()
			.stream()
			.map((node) -> "127.0.0.1:" + node.port())
			.collect(Collectors.joining(","));
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.cluster.nodes=" + nodes, "spring.data.redis.timeout=2s",
					"app.cache.failure-mode=fail-fast")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("cacheKitSpringDataRedisConnections");
				RedisCacheBackend<?> cache = context.getBean(RedisCacheBackend.class);
				assertThat(cache.getTarget()).isEqualTo("redis://" + nodes);
				WithoutSpringBootDataRedisServes.serves(cache);
			});
	}

}
