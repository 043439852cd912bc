package io.cachekit.spring;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.KeyPatterns;

/**
 * Where one Spring cache's entries live in its backend: {@code name + "::" + key}, the key
 * written by {@link CacheKeys}; for a cache with a version {@code name + "::\0v" + version + ":" + key}
 * (see {@link CacheVersions}). Eviction, {@code clear()} and {@code invalidate()} never reach
 * outside it (a versioned cache's: outside its own version).
 *
 * @param prefix the namespace of the cache's keys
 * @param name the cache's name
 * @param version the cache's version, or {@code null} for none
 */
record CacheKeyspace(String prefix, String name, @Nullable String version) {

	/** Between a versioned cache's {@code name::} and its version: no cache name holds it (U+0000 is refused in names). */
	static final String VERSION_MARK = "\u0000v";

	/**
	 * The keyspace of the cache named {@code name}, without a version.
	 * @param name the cache's name, not empty
	 * @return its keyspace
	 */
	static CacheKeyspace of(String name) {
		return of(name, null);
	}

	/**
	 * The keyspace of version {@code version} of the cache named {@code name}.
	 * @param name the cache's name, not empty, without U+0000
	 * @param version a version {@link CacheVersions#check checked} already, or {@code null} for none
	 * @return its keyspace
	 */
	static CacheKeyspace of(String name, @Nullable String version) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("name must not be empty");
		}
		if (name.indexOf('\u0000') >= 0) {
			// keeps every cache's keys apart from a versioned cache's: see VERSION_MARK
			throw new IllegalArgumentException("cache name must not contain U+0000");
		}
		String prefix = (version != null) ? versions(name) + version + ":" : name + "::";
		return new CacheKeyspace(prefix, name, version);
	}

	/** What every versioned key of cache {@code name} starts with, whatever its version. */
	private static String versions(String name) {
		return name + "::" + VERSION_MARK;
	}

	/** The backend key of a cache key. */
	String key(Object key) {
		return this.prefix + CacheKeys.toKeyString(key);
	}

	/** The pattern of every key of the cache (its prefix escaped). */
	String everything() {
		return KeyPatterns.escape(this.prefix) + "*";
	}

	/** The pattern of every versioned key of the cache, its own version's included: {@link #isOtherVersion} picks. */
	String allVersions() {
		return KeyPatterns.escape(versions(this.name)) + "*";
	}

	/**
	 * Whether {@code backendKey} (without the backend's prefix) is a key of another version of
	 * this cache: {@code name::\0v}, a well-formed version that is not this one, then {@code :}.
	 * Anything else (this version's keys, unversioned keys, other caches' keys) is not.
	 */
	boolean isOtherVersion(String backendKey) {
		String versions = versions(this.name);
		if (!backendKey.startsWith(versions)) {
			return false;
		}
		int end = backendKey.indexOf(':', versions.length());
		if (end < 0) {
			return false;
		}
		String found = backendKey.substring(versions.length(), end);
		return CacheVersions.isWellFormed(found) && !found.equals(this.version);
	}

}
