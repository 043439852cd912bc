package io.cachekit.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.test.RedisExtension;

/** The contract on a single Redis server with a near cache over the engine: the same answers. */
class NearCacheContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected CacheBackend<Object> newBackend(String keyPrefix) {
		RedisCacheBackend<Object> created = RedisCacheBackend.builder(redisUrl())
			.serializer(CacheSerializers.json(List.of("io.cachekit.fixtures")))
			.prefix(keyPrefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(2))
			.nearCache(NearCache.defaults())
			.build();
		created.initialize();
		return created;
	}

}
