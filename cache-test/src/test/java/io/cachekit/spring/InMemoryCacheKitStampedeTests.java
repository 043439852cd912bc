package io.cachekit.spring;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The starter's stampede scenarios ({@link CacheKitStampedeTests}) on the in-memory engine: loading
 * settings, null handling and the loading meters. One load per key across instances needs Redis'
 * leases, which README says the in-memory engine does not have.
 */
class InMemoryCacheKitStampedeTests extends CacheKitStampedeTests {

	@Override
	CacheEngineFixture engine() {
		return new InMemoryEngineFixture();
	}

	@Test
	@Disabled("across instances: needs Redis leases (README, Testing your application)")
	@Override
	void twoInstancesOfEightThreadsRunACacheableMethodOncePerKey() {
	}

}
