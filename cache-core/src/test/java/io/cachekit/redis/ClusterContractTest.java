package io.cachekit.redis;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** The contract on a local Redis Cluster (3 masters, 3 replicas), through both faces. */
class ClusterContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

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
