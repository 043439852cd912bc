package io.cachekit.loading;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** Tags on a local Redis Cluster (3 masters, 3 replicas): entries and tag keys on different nodes. */
class TagsClusterTest extends TagScenarios {

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
