package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** The contract on a local Redis Cluster (3 masters, 3 replicas), through both faces. */
class ClusterContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

}
