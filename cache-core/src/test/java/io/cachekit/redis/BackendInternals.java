package io.cachekit.redis;

import io.cachekit.redis.internal.Engine;

/** Reaches the engine under a backend's layers, for tests of the engine's insides. */
public final class BackendInternals {

	private BackendInternals() {
	}

	/** The engine of {@code backend}. */
	public static Engine engine(RedisCacheBackend<?> backend) {
		return backend.engine();
	}

}
