package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** The contract on a single Redis server, through both faces. */
class StandaloneContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

}
