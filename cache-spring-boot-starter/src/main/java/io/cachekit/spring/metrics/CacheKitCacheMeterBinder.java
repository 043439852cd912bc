package io.cachekit.spring.metrics;

import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.cachekit.loading.LoadingStats;
import io.cachekit.near.NearCacheStats;
import io.cachekit.spring.CacheKitCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Micrometer's standard cache meters ({@code cache.gets} by {@code result=hit|miss},
 * {@code cache.puts}, {@code cache.evictions}) for a {@link CacheKitCache}, and for a cache with
 * stampede protection {@code cache.loads}, {@code cache.loads.failed}, {@code cache.loads.coalesced},
 * {@code cache.lease.wait.timeouts}, {@code cache.refreshes.early}, {@code cache.stale.served} and
 * {@code cache.loads.discarded}.
 * A cache with a version has the gauge {@code cache.version} (always 1, the version its tag {@code version}).
 * Size is not reported: counting a cache's keys in Redis would take a SCAN.
 * <p>
 * A cache with a near cache of its own also has {@code cache.gets} with
 * {@code result=}{@value #NEAR_HIT}: the hits its near cache answered without asking Redis. They
 * are a part of {@code result=hit}, not beside it, so {@code hit / (hit + miss)} stays the hit
 * ratio and {@code hit - near-hit} is what Redis answered. A value of {@code result} rather than a
 * new tag: every {@code cache.gets} keeps the same tag keys as every other cache's (Prometheus
 * needs that, and a Caffeine or JCache cache in the same registry has no such tag), and a
 * dashboard that selects {@code result="hit"} sees no change; Spring Boot's own Redis cache
 * meters add {@code result=pending} the same way. A query that sums every {@code result} counts
 * near hits twice: select {@code hit} and {@code miss}. Caches on the backend's near cache share
 * its counters (see {@code cachekit.near.*} with {@code cache=*}), so they cannot be told apart
 * per cache and get no {@value #NEAR_HIT}.
 */
public class CacheKitCacheMeterBinder extends CacheMeterBinder<CacheKitCache> {

	/** The {@code result} of {@code cache.gets} counting the hits a cache's own near cache answered. */
	public static final String NEAR_HIT = "near-hit";

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
		NearCacheStats near = (cache != null) ? cache.getNearCacheStats() : null;
		if (near != null) {
			// at most the bridge's hits: a read the near cache answered but the bridge refused (a value
			// of another type) is a miss there, and near-hit stays the part of hit it is documented as
			FunctionCounter.builder("cache.gets", near, (n) -> Math.min(n.hits(), hitCount()))
				.tags(getTagsWithCacheName())
				.tag("result", NEAR_HIT)
				.description("The number of times cache lookup methods were answered by the near cache (part of result=hit)")
				.register(registry);
		}
		String version = (cache != null) ? cache.getVersion() : null;
		if (version != null) {
			// an info gauge: the version as a tag of its own meter, so no other meter gets a tag key more
			Gauge.builder("cache.version", cache, (c) -> 1.0)
				.tags(getTagsWithCacheName())
				.tag("version", version)
				.description("The version this cache's keys carry (tag version); always 1")
				.register(registry);
		}
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
		counter(registry, "cache.loads.discarded",
				"Loaded values not stored: a write or delete of their key came after their load began, or their lease"
						+ " was no longer their loader's",
				stats, LoadingStats::discardedWrites);
	}

	private void counter(MeterRegistry registry, String name, String description, LoadingStats stats,
			ToDoubleFunction<LoadingStats> count) {
		FunctionCounter.builder(name, stats, count).tags(getTagsWithCacheName()).description(description).register(registry);
	}

}
