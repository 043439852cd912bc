package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisSentinel;

/**
 * An application without {@code spring-boot-data-redis} reaches Redis through Sentinel nodes that
 * require a password of their own, from {@code spring.data.redis.sentinel.*} alone.
 */
class WithoutSpringBootDataRedisSentinelTests {

	private static final String SENTINEL_PASSWORD = "s3ntinel-Without-Boot";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel(SENTINEL_PASSWORD);

	@Test
	void sentinelFromSpringDataRedisAlone() {
		String nodes = redis.url().substring("redis-sentinel://".length(), redis.url().indexOf('/', 17));
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.sentinel.master=" + RedisSentinel.MASTER_NAME,
					"spring.data.redis.sentinel.nodes=" + nodes, "spring.data.redis.sentinel.password=" + SENTINEL_PASSWORD,
					"spring.data.redis.timeout=2s", "app.cache.failure-mode=fail-fast")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisCacheBackend<?> cache = context.getBean(RedisCacheBackend.class);
				assertThat(cache.getTarget()).startsWith("redis-sentinel://")
					.endsWith("#" + RedisSentinel.MASTER_NAME)
					.doesNotContain(SENTINEL_PASSWORD);
				WithoutSpringBootDataRedisServes.serves(cache);
			});
	}

}
