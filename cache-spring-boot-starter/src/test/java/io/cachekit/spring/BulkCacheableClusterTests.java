package io.cachekit.spring;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/** {@link BulkCacheableScenarios} on a Redis Cluster: each batch read and write split by slot. */
class BulkCacheableClusterTests extends BulkCacheableScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	String redisUrl() {
		return redis.url();
	}

	@Override
	void flush() {
		for (RedisProcess master : redis.redisCluster().masters()) {
			Resp.call("127.0.0.1", master.port(), "FLUSHALL");
		}
	}

}
