package io.cachekit.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.NearCache;

/** Turns {@code app.cache.near-cache.*} and a cache's {@code near-cache.*} into {@link NearCache} settings. */
final class NearCacheSettings {

	private NearCacheSettings() {
	}

	/** The backend's near cache settings. */
	static NearCache of(CacheKitProperties.NearCacheOptions near) {
		return build("app.cache.near-cache", near.getMaxEntries(), near.getMaxLocalTtl(), near.isCopyOnRead(), near);
	}

	/** A cache's own settings, unset values taken from the backend's; {@code null} when it has none. */
	static @Nullable NearCache of(CacheKitProperties.NearCacheOptions near, CacheKitProperties.CacheNearCacheOptions own,
			String cacheName) {
		boolean enabled = (own.getEnabled() != null) ? own.getEnabled() : near.isEnabled();
		if (!enabled) {
			return null;
		}
		long maxEntries = (own.getMaxEntries() != null) ? own.getMaxEntries() : near.getMaxEntries();
		Duration maxLocalTtl = (own.getMaxLocalTtl() != null) ? own.getMaxLocalTtl() : near.getMaxLocalTtl();
		boolean copyOnRead = (own.getCopyOnRead() != null) ? own.getCopyOnRead() : near.isCopyOnRead();
		return build("app.cache.caches." + cacheName + ".near-cache", maxEntries, maxLocalTtl, copyOnRead, near);
	}

	private static NearCache build(String property, long maxEntries, Duration maxLocalTtl, boolean copyOnRead,
			CacheKitProperties.NearCacheOptions near) {
		NearCache sized = CacheKitAutoConfiguration.check(property + ".max-entries",
				() -> NearCache.defaults().withMaxEntries(maxEntries));
		NearCache settings = CacheKitAutoConfiguration.check(property + ".max-local-ttl",
				() -> sized.withMaxLocalTtl(maxLocalTtl));
		return settings.withCopyOnRead(copyOnRead).withTracking(near.getTracking()).withOutageMode(near.getOutageMode());
	}

}
