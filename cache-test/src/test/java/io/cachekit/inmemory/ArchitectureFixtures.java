package io.cachekit.inmemory;

import io.cachekit.redis.internal.RedisUrls;

/** Breaks the in-memory engine's rules on purpose, for {@code ArchitectureTests.eachNewRuleFailsWhenBroken}. */
public final class ArchitectureFixtures {

	private ArchitectureFixtures() {
	}

	/** An engine that reaches into the Redis engine's internals. */
	static String masked(String url) {
		return RedisUrls.mask(url);
	}

}
