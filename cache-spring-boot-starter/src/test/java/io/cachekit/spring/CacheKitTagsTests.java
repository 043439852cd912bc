package io.cachekit.spring;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** {@code @CacheTags} and {@code @EvictTags} on a single Redis server. */
class CacheKitTagsTests extends TagScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	@Override
	String url() {
		return redis.url();
	}

	@Override
	List<RedisProcess> masters() {
		return List.of(redis.process());
	}

}
