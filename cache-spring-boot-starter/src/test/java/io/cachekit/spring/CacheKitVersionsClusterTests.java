package io.cachekit.spring;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** {@link VersionedCacheScenarios} on a local Redis Cluster: the sweep walks every master. */
class CacheKitVersionsClusterTests extends VersionedCacheScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	RedisExtension redis() {
		return redis;
	}

	@Override
	List<RedisProcess> masters() {
		return redis.redisCluster().masters();
	}

}
