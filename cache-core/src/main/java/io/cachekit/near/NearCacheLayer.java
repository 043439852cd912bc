package io.cachekit.near;

import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * The near cache as a layer: one L1 per level it is put over (the backend and each of its
 * views), all of one engine kept correct by that engine's {@link Tracking}. Made by
 * {@link NearCache#layer()}.
 */
public final class NearCacheLayer implements CacheLayer {

	private final NearCache settings;

	private final NearCacheStats stats = new NearCacheStats();

	NearCacheLayer(NearCache settings) {
		this.settings = settings;
	}

	/**
	 * The settings of the near caches this layer makes.
	 * @return the settings
	 */
	public NearCache settings() {
		return this.settings;
	}

	/**
	 * What the near caches of this layer did, summed over every level it was put over.
	 * @return the live statistics
	 */
	public NearCacheStats stats() {
		return this.stats;
	}

	/**
	 * Puts a near cache over {@code below}.
	 * @throws IllegalStateException when the engine under the stack offers no {@link Tracking}
	 *     (not a Redis engine)
	 */
	@Override
	public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
		Tracking tracking = context.service(Tracking.class)
			.orElseThrow(() -> new IllegalStateException(
					"The near cache needs an engine that offers Redis client tracking; " + context.target()
							+ " does not"));
		NearCacheLevel<T> level = new NearCacheLevel<>(below, context, tracking, this.settings, this.stats);
		tracking.register(this.settings.tracking(), this.settings.heartbeat(), level);
		return level;
	}

	@Override
	public String toString() {
		return "NearCacheLayer[" + this.settings + "]";
	}

}
