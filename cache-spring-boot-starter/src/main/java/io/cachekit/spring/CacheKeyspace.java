package io.cachekit.spring;

import io.cachekit.core.KeyPatterns;

/**
 * Where one Spring cache's entries live in its backend: {@code name + "::" + key}, the key
 * written by {@link CacheKeys}; eviction, {@code clear()} and {@code invalidate()} never reach
 * outside it.
 *
 * @param prefix the namespace of the cache's keys
 */
record CacheKeyspace(String prefix) {

	/**
	 * The keyspace of the cache named {@code name}.
	 * @param name the cache's name, not empty
	 * @return its keyspace
	 */
	static CacheKeyspace of(String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("name must not be empty");
		}
		return new CacheKeyspace(name + "::");
	}

	/** The backend key of a cache key. */
	String key(Object key) {
		return this.prefix + CacheKeys.toKeyString(key);
	}

	/** The pattern of every key of the cache (its prefix escaped). */
	String everything() {
		return KeyPatterns.escape(this.prefix) + "*";
	}

}
