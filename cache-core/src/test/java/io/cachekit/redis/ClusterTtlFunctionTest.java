package io.cachekit.redis;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** {@link TtlFunctionTest} on the local cluster: a batch of several TTLs spans slots and groups. */
class ClusterTtlFunctionTest extends TtlFunctionTest {

	@RegisterExtension
	static final RedisExtension cluster = RedisExtension.cluster();

	@Override
	String url() {
		return cluster.url();
	}

}
