package io.cachekit.redis;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** The contract on a single Redis server, through both faces. */
class StandaloneContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Nested
	class SyncFace extends CacheBackendContractTest {

		@Override
		protected String redisUrl() {
			return redis.url();
		}

		@Override
		protected boolean asyncFace() {
			return false;
		}

	}

	@Nested
	class AsyncFace extends CacheBackendContractTest {

		@Override
		protected String redisUrl() {
			return redis.url();
		}

		@Override
		protected boolean asyncFace() {
			return true;
		}

	}

}
