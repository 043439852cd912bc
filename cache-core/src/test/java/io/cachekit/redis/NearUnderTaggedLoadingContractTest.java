package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;
import io.cachekit.test.RedisExtension;

/**
 * The whole contract on a single Redis server through a near cache under a loading layer with
 * tags on: the layer's reads go through the near cache, which keeps its decoded entries, yet every
 * operation answers as the engine does.
 */
class NearUnderTaggedLoadingContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.nearCache(NearCache.defaults()).layer(LoadingLayer.of(LoadingSettings.defaults().withTags(true)));
	}

}
