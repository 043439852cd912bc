package io.cachekit.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.RedisSentinel;
import io.cachekit.test.Resp;

/**
 * {@link SilentFaultRounds} on Sentinel: the sentinels monitor a {@link FaultProxy} in front of the
 * master ({@link RedisSentinel#startProxied()}), so the backend's master connection passes it.
 */
class SentinelSilentFaultTest extends SilentFaultRounds {

	private static RedisSentinel sentinel;

	@BeforeAll
	static void startTopology() {
		sentinel = RedisSentinel.startProxied();
	}

	@AfterAll
	static void stopTopology() {
		if (sentinel != null) {
			sentinel.close();
		}
	}

	@Override
	protected FaultProxy proxy() {
		return sentinel.proxy();
	}

	@Override
	protected RedisCacheBackendBuilder<?> builderForTopology() {
		return RedisCacheBackend.builder(sentinel.url());
	}

	@Override
	protected String direct(String fullKey) {
		RedisProcess master = sentinel.dataNodes().get(0);
		return (String) Resp.call(master.host(), master.port(), "GET", fullKey);
	}

	@Override
	protected void plant(String fullKey, String value) {
		RedisProcess master = sentinel.dataNodes().get(0);
		Resp.call(master.host(), master.port(), "SET", fullKey, value);
	}

	@Override
	protected boolean onFaultyNode(String fullKey) {
		return true;
	}

}
