package io.cachekit.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/** {@link SilentFaultRounds} on a single server behind a {@link FaultProxy}. */
class StandaloneSilentFaultTest extends SilentFaultRounds {

	private static RedisProcess redis;

	private static FaultProxy proxy;

	@BeforeAll
	static void startServer() {
		redis = RedisProcess.start();
		proxy = FaultProxy.start(redis.url());
	}

	@AfterAll
	static void stopServer() {
		if (proxy != null) {
			proxy.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Override
	protected FaultProxy proxy() {
		return proxy;
	}

	@Override
	protected RedisCacheBackendBuilder<?> builderForTopology() {
		return RedisCacheBackend.builder(proxy.url());
	}

	@Override
	protected String direct(String fullKey) {
		return (String) Resp.call(redis.host(), redis.port(), "GET", fullKey);
	}

	@Override
	protected void plant(String fullKey, String value) {
		Resp.call(redis.host(), redis.port(), "SET", fullKey, value);
	}

	@Override
	protected boolean onFaultyNode(String fullKey) {
		return true;
	}

}
