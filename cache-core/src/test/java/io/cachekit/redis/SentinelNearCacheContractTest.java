package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.near.NearCache;
import io.cachekit.test.RedisExtension;

/** The contract through Sentinel (a master, a replica, three sentinels) with a near cache over the engine: the same answers. */
class SentinelNearCacheContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.nearCache(NearCache.defaults());
	}

}
