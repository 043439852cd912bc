package io.cachekit.core.layer;

import java.time.Duration;

import io.cachekit.core.CacheSerializer;

/**
 * The bottom of a stack: where a {@link LayeredCacheBackend} stores. An engine (Redis, the
 * in-memory store of {@code cache-test}) answers one level per serializer and tells the layers
 * over it what it offers; the layered backend puts the layers over that level.
 */
public interface CacheEngine {

	/**
	 * The engine's own level for values written with {@code serializer}.
	 * @param <T> the value type
	 * @param serializer the value serializer
	 * @return the bottom level of a stack
	 */
	<T> CacheLevel<T> level(CacheSerializer<T> serializer);

	/**
	 * What the engine tells the layers of a stack of values written with {@code serializer}.
	 * @param <T> the value type
	 * @param serializer the value serializer
	 * @return the context of the stack's layers
	 */
	<T> LayerContext<T> context(CacheSerializer<T> serializer);

	/**
	 * The TTL of entries written without one.
	 * @return the default TTL ({@code ZERO}: no expiry)
	 */
	Duration defaultTtl();

}
