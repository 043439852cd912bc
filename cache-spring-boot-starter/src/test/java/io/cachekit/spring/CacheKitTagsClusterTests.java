package io.cachekit.spring;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** {@code @CacheTags} and {@code @EvictTags} on a local Redis Cluster: entries and tag keys on different nodes. */
class CacheKitTagsClusterTests extends TagScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	String url() {
		return redis.url();
	}

	@Override
	List<RedisProcess> masters() {
		return redis.redisCluster().masters();
	}

}
