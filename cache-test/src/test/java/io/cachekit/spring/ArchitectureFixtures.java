package io.cachekit.spring;

import io.cachekit.core.CacheBackend;
import io.cachekit.redis.RedisCacheBackend;

/** Breaks the bridge's rule on purpose, for {@code ArchitectureTests.eachNewRuleFailsWhenBroken}. */
public final class ArchitectureFixtures {

	private ArchitectureFixtures() {
	}

	/** A bridge that special-cases one engine. */
	static boolean isRedis(CacheBackend<?> backend) {
		return backend instanceof RedisCacheBackend<?>;
	}

}
