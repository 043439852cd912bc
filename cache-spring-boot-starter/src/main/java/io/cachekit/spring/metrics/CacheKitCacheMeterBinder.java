package io.cachekit.spring.metrics;

import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.cachekit.loading.LoadingStats;
import io.cachekit.spring.CacheKitCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's standard cache meters ({@code cache.gets} by {@code result=hit|miss},
 * {@code cache.puts}, {@code cache.evictions}) for a {@link CacheKitCache}, and for a cache with
 * stampede protection {@code cache.loads}, {@code cache.loads.failed}, {@code cache.loads.coalesced},
 * {@code cache.lease.wait.timeouts}, {@code cache.refreshes.early} and {@code cache.stale.served}.
 * Size is not reported: counting a cache's keys in Redis would take a SCAN.
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
		CacheKitCache cache = getCache();
		LoadingStats stats = (cache != null) ? cache.getLoadingStats() : null;
		if (stats == null) {
			return;
		}
		// stampede protection: what the cache's loading layer did
		counter(registry, "cache.loads", "Loader runs (failed ones included)", stats, LoadingStats::loads);
		counter(registry, "cache.loads.failed", "Loader runs that failed", stats, LoadingStats::loadFailures);
		counter(registry, "cache.loads.coalesced", "Callers that shared a load already running in this instance", stats,
				LoadingStats::coalescedWaits);
		counter(registry, "cache.lease.wait.timeouts",
				"Callers that waited for another instance's lease up to the lease wait, then loaded", stats,
				LoadingStats::leaseWaitTimeouts);
		counter(registry, "cache.refreshes.early", "Early (XFetch) refreshes started", stats, LoadingStats::earlyRefreshes);
		counter(registry, "cache.stale.served", "Stale values served because their load failed", stats,
				LoadingStats::staleServed);
	}

	private void counter(MeterRegistry registry, String name, String description, LoadingStats stats,
			ToDoubleFunction<LoadingStats> count) {
		FunctionCounter.builder(name, stats, count).tags(getTagsWithCacheName()).description(description).register(registry);
	}

}
