package io.cachekit.loading;

import java.time.Clock;
import java.util.Objects;

import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * Load-through with stampede protection, as a layer: the levels it makes answer
 * {@code getOrLoad} with one load per key at a time in a JVM (callers share one future) and,
 * where the engine offers {@link Leases}, across JVMs under a lease; optionally XFetch early
 * refresh, stale values on loader failure within a grace, TTL jitter and time-to-idle (see
 * {@link LoadingSettings}). Over an engine without the services, loads are coalesced per JVM and
 * entries stay plain. In fail-open mode an outage never fails {@code getOrLoad}: every caller
 * loads for itself. A loader's own exception propagates to its callers.
 *
 * <pre>{@code
 * RedisCacheBackend<Object> backend = RedisCacheBackend.builder(url)
 *         .layer(LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withTtlJitter(0.1)))
 *         .build();
 * Product p = backend.getOrLoad("p1", () -> repository.find("p1"), Duration.ofMinutes(10));
 * }</pre>
 */
public final class LoadingLayer implements CacheLayer {

	/**
	 * What a loader of an {@code Object}-valued level may answer to say "nothing to store": the
	 * level writes nothing, and every caller of that load gets this object back (a Spring cache
	 * that does not cache {@code null} answers it for a method that returned {@code null}).
	 */
	public static final Object NOTHING_TO_STORE = new Object() {

		@Override
		public String toString() {
			return "NOTHING_TO_STORE";
		}

	};

	private final LoadingSettings settings;

	private final LoadingStats stats = new LoadingStats();

	/** The loads in flight of every level of this layer (a backend's views share it). */
	private final LoadFences fences = new LoadFences();

	private final Clock clock;

	private final boolean leased;

	private LoadingLayer(LoadingSettings settings, Clock clock, boolean leased) {
		this.settings = settings;
		this.clock = clock;
		this.leased = leased;
	}

	/**
	 * A loading layer with {@code settings}.
	 * @param settings what it does besides coalescing
	 * @return the layer
	 */
	public static LoadingLayer of(LoadingSettings settings) {
		return new LoadingLayer(Objects.requireNonNull(settings, "settings must not be null"), Clock.systemUTC(), true);
	}

	/**
	 * A loading layer that coalesces loads per key in this JVM and does nothing else: no lease
	 * across JVMs, plain entries ({@link LoadingSettings#defaults()} otherwise). What a Spring
	 * cache without stampede protection of its own gets, so its {@code @Cacheable(sync = true)}
	 * loads once per key per JVM.
	 * @return the layer
	 */
	public static LoadingLayer coalescing() {
		return new LoadingLayer(LoadingSettings.defaults(), Clock.systemUTC(), false);
	}

	/**
	 * {@link #coalescing()} with what {@code settings} say of entries (tags, TTL jitter, ...): no
	 * lease across JVMs. A Spring cache whose entries may carry tags, without stampede
	 * protection of its own, gets it with {@code LoadingSettings.defaults().withTags(true)}.
	 * @param settings what the layer does besides coalescing
	 * @return the layer
	 */
	public static LoadingLayer coalescing(LoadingSettings settings) {
		return new LoadingLayer(Objects.requireNonNull(settings, "settings must not be null"), Clock.systemUTC(), false);
	}

	@Override
	public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
		Objects.requireNonNull(below, "below must not be null");
		Objects.requireNonNull(context, "context must not be null");
		EntryAccess<T> access = new EntryAccess<>(below, context, this.settings, this.clock);
		return new LoadingLevel<>(below, context, this.settings, this.stats, access, this.leased, this.fences);
	}

	/**
	 * This layer's settings.
	 * @return the settings
	 */
	public LoadingSettings getSettings() {
		return this.settings;
	}

	/**
	 * What the levels of this layer did since it was made.
	 * @return the counters
	 */
	public LoadingStats getStats() {
		return this.stats;
	}

	@Override
	public String toString() {
		return (this.leased ? "LoadingLayer" : "LoadingLayer(coalescing)")
				+ this.settings.toString().substring("LoadingSettings".length());
	}

}
