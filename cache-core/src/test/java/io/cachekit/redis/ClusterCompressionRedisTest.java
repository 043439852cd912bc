package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** {@link CompressionRedisTest} on the local cluster. */
class ClusterCompressionRedisTest extends CompressionRedisTest {

	@RegisterExtension
	static final RedisExtension cluster = RedisExtension.cluster();

	@Override
	String url() {
		return cluster.url();
	}

}
