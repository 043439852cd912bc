package io.cachekit.spring.metrics;

import io.cachekit.near.FlushCause;
import io.cachekit.near.NearCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A near cache's meters: {@code cachekit.near.hits}, {@code cachekit.near.misses},
 * {@code cachekit.near.invalidations} (received from Redis), {@code cachekit.near.evictions}
 * (to keep within the bound), {@code cachekit.near.flushes} (by {@code cause}) and the gauge
 * {@code cachekit.near.size}. Read from the near cache's counters when the registry asks, so
 * the hot path does no registry work.
 */
public class NearCacheMeterBinder implements MeterBinder {

	private final NearCacheStats stats;

	private final Iterable<Tag> tags;

	/**
	 * Binds the meters of the near cache whose counters are {@code stats}.
	 * @param stats the near cache's counters
	 * @param tags tags of every meter (which near cache)
	 */
	public NearCacheMeterBinder(NearCacheStats stats, Iterable<Tag> tags) {
		this.stats = stats;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("cachekit.near.hits", this.stats, NearCacheStats::hits)
			.description("Reads answered by the near cache")
			.tags(this.tags)
			.register(registry);
		FunctionCounter.builder("cachekit.near.misses", this.stats, NearCacheStats::misses)
			.description("Reads the near cache sent to Redis")
			.tags(this.tags)
			.register(registry);
		FunctionCounter.builder("cachekit.near.invalidations", this.stats, NearCacheStats::invalidations)
			.description("Invalidations received from Redis")
			.tags(this.tags)
			.register(registry);
		FunctionCounter.builder("cachekit.near.evictions", this.stats, NearCacheStats::evictions)
			.description("Entries dropped to keep within the near cache's bound")
			.tags(this.tags)
			.register(registry);
		for (FlushCause cause : FlushCause.values()) {
			FunctionCounter.builder("cachekit.near.flushes", this.stats, (s) -> s.flushes(cause))
				.description("Times the near cache dropped every entry")
				.tags(this.tags)
				.tag("cause", cause.name())
				.register(registry);
		}
		Gauge.builder("cachekit.near.size", this.stats, NearCacheStats::size)
			.description("Entries held by the near cache")
			.tags(this.tags)
			.register(registry);
	}

}
