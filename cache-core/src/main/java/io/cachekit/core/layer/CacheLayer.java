package io.cachekit.core.layer;

/**
 * A feature of a backend (a near cache, load-through with stampede protection, ...) as a level
 * over the level below it. A builder applies its layers in the order they were added, each over
 * the previous one, to the backend and to each of its views, so a layer instance serves many
 * levels: keep per-level state in the level {@link #over} returns. A layer knows nothing of the
 * layers above it.
 */
@FunctionalInterface
public interface CacheLayer {

	/**
	 * Puts this layer over {@code below}.
	 * @param <T> the value type
	 * @param below the level under this one
	 * @param context what the engine of the stack offers its layers
	 * @return the new top level
	 */
	<T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context);

}
