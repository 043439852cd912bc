package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachekit.redis.RedisCacheBackend;

/** What the acceptance tests without {@code spring-boot-data-redis} check a backend does. */
final class WithoutSpringBootDataRedisServes {

	private WithoutSpringBootDataRedisServes() {
	}

	/** Keys on every part of the keyspace written, read back and deleted (fail-fast: no miss hides a failure). */
	@SuppressWarnings("unchecked")
	static void serves(RedisCacheBackend<?> backend) {
		RedisCacheBackend<Object> cache = (RedisCacheBackend<Object>) backend;
		for (int i = 0; i < 20; i++) {
			String key = "wsdr-" + i;
			assertThat(cache.set(key, "v" + i)).as(key).isTrue();
			assertThat(cache.get(key)).as(key).contains("v" + i);
			assertThat(cache.delete(key)).as(key).isTrue();
		}
	}

}
