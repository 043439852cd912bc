package io.cachekit.loading;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** {@link FencedLoadScenarios} on a local Redis Cluster: the lease and its entry in one slot. */
class FencedLoadClusterTest extends FencedLoadScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	RedisExtension redis() {
		return redis;
	}

}
