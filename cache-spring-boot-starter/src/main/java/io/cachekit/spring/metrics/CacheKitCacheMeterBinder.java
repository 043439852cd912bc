package io.cachekit.spring.metrics;

import org.jspecify.annotations.Nullable;

import io.cachekit.spring.CacheKitCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's standard cache meters ({@code cache.gets} by {@code result=hit|miss},
 * {@code cache.puts}, {@code cache.evictions}) for a {@link CacheKitCache}. Size is not reported:
 * counting a cache's keys in Redis would take a SCAN.
 */
public class CacheKitCacheMeterBinder extends CacheMeterBinder<CacheKitCache> {

	/**
	 * Binds Boot's cache meters to {@code cache}.
	 * @param cache the cache
	 * @param tags extra tags of its meters
	 */
	public CacheKitCacheMeterBinder(CacheKitCache cache, Iterable<Tag> tags) {
		super(cache, cache.getName(), tags);
	}

	@Override
	protected @Nullable Long size() {
		return null;
	}

	@Override
	protected long hitCount() {
		CacheKitCache cache = getCache();
		return (cache != null) ? cache.getHitCount() : 0;
	}

	@Override
	protected @Nullable Long missCount() {
		CacheKitCache cache = getCache();
		return (cache != null) ? cache.getMissCount() : null;
	}

	@Override
	protected @Nullable Long evictionCount() {
		CacheKitCache cache = getCache();
		return (cache != null) ? cache.getEvictionCount() : null;
	}

	@Override
	protected long putCount() {
		CacheKitCache cache = getCache();
		return (cache != null) ? cache.getPutCount() : 0;
	}

	@Override
	protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		// the standard meters say it all
	}

}
