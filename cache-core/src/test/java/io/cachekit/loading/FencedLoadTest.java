package io.cachekit.loading;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/** {@link FencedLoadScenarios} on a single Redis server. */
class FencedLoadTest extends FencedLoadScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	@Override
	RedisExtension redis() {
		return redis;
	}

}
