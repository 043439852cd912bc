package io.cachekit.spring;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/** {@link BulkCacheableScenarios} on a Redis Cluster: each batch read and write split by slot. */
class BulkCacheableClusterTests extends BulkCacheableScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Override
	CacheEngineFixture engine() {
		return new CacheEngineFixture() {

			@Override
			public ApplicationContextRunner apply(ApplicationContextRunner runner) {
				return runner.withPropertyValues("app.cache.redis-url=" + redis.url());
			}

			@Override
			public Object call(String... command) {
				if (!command[0].equals("FLUSHALL")) {
					throw new IllegalArgumentException("not modelled here: " + command[0]);
				}
				for (RedisProcess master : redis.redisCluster().masters()) {
					Resp.call("127.0.0.1", master.port(), command);
				}
				return "OK";
			}

		};
	}

}
