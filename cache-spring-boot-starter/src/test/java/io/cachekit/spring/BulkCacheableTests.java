package io.cachekit.spring;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/** {@link BulkCacheableScenarios} on a standalone Redis. */
class BulkCacheableTests extends BulkCacheableScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	@Override
	String redisUrl() {
		return redis.url();
	}

	@Override
	void flush() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
	}

}
