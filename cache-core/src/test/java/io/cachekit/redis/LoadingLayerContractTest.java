package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.test.RedisExtension;

/**
 * The whole contract on a single Redis server through the loading layer with its defaults
 * (coalescing under a lease, plain entries): the layer answers every operation as the engine does,
 * and its getOrLoad rows with leases.
 */
class LoadingLayerContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.layer(LoadingLayer.of(LoadingSettings.defaults()));
	}

}
