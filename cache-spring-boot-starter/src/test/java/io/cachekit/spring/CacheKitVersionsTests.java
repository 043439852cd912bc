package io.cachekit.spring;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** {@link VersionedCacheScenarios} on a single Redis server. */
class CacheKitVersionsTests extends VersionedCacheScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	@Override
	RedisExtension redis() {
		return redis;
	}

	@Override
	List<RedisProcess> masters() {
		return List.of(redis.process());
	}

}
