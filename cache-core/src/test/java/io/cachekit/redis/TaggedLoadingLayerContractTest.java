package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.test.RedisExtension;

/**
 * The whole contract on a single Redis server through a loading layer with tags on: its reads go
 * to the entries' bytes and check tags, yet every operation answers as the engine does.
 */
class TaggedLoadingLayerContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.layer(LoadingLayer.of(LoadingSettings.defaults().withTags(true)));
	}

}
