package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.near.NearCache;
import io.cachekit.test.RedisExtension;

/** The contract on a local Redis Cluster (3 masters, 3 replicas) with a near cache over the engine: the same answers. */
class ClusterNearCacheContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.nearCache(NearCache.defaults());
	}

}
