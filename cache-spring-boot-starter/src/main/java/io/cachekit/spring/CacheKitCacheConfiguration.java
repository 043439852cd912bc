package io.cachekit.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of one bridge cache; every change answers a new instance.
 */
public final class CacheKitCacheConfiguration {

	private final @Nullable Duration ttl;

	private final boolean cacheNullValues;

	private CacheKitCacheConfiguration(@Nullable Duration ttl, boolean cacheNullValues) {
		this.ttl = ttl;
		this.cacheNullValues = cacheNullValues;
	}

	/** The backend's default TTL, caching {@code null} values. */
	public static CacheKitCacheConfiguration defaults() {
		return new CacheKitCacheConfiguration(null, true);
	}

	/**
	 * Entries live for {@code ttl} ({@code ZERO}: no expiry; {@code null}: the backend's default).
	 * @throws IllegalArgumentException when negative
	 */
	public CacheKitCacheConfiguration entryTtl(@Nullable Duration ttl) {
		if (ttl != null && ttl.isNegative()) {
			throw new IllegalArgumentException("ttl must not be negative but was " + ttl);
		}
		return new CacheKitCacheConfiguration(ttl, this.cacheNullValues);
	}

	/** Whether {@code null} results are cached (through a marker). */
	public CacheKitCacheConfiguration cacheNullValues(boolean cacheNullValues) {
		return new CacheKitCacheConfiguration(this.ttl, cacheNullValues);
	}

	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	@Override
	public String toString() {
		return "CacheKitCacheConfiguration[ttl=" + ((this.ttl != null) ? this.ttl : "default") + ", cacheNullValues="
				+ this.cacheNullValues + "]";
	}

}
