package io.cachekit.near;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/** {@link NearSilentFaultScenarios} on a single server behind a {@link FaultProxy}. */
class NearCacheSilentFaultTest extends NearSilentFaultScenarios {

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
	protected String url() {
		return proxy.url();
	}

	@Override
	protected Object direct(String fullKey, String... command) {
		return Resp.call(redis.host(), redis.port(), command);
	}

	@Override
	protected boolean onFaultyNode(String fullKey) {
		return true;
	}

}
