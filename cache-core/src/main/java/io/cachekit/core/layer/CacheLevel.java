package io.cachekit.core.layer;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.cachekit.core.AsyncCacheBackend;

/**
 * One level of a backend: the engine at the bottom of the stack, or a layer over the level below
 * it. Every level speaks the cache contract, so a stack of any height answers as the engine does,
 * and the contract's test suite runs against any stack.
 *
 * @param <T> the value type
 */
public interface CacheLevel<T> extends AsyncCacheBackend<T> {

	/**
	 * {@link #get(String)}, decoding the value on {@code decodeOn}: the blocking face passes its
	 * own waiting thread, so a value is decoded by the caller that waits for it rather than by a
	 * pool. A level that decodes nothing answers {@link #get(String)}; a layer passes
	 * {@code decodeOn} down.
	 * @param key the key, without the backend's prefix
	 * @param decodeOn where a value read from the store is decoded
	 * @return a future of what {@link #get(String)} answers
	 */
	default CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		return get(key);
	}

	/**
	 * {@link #getMany(Collection)}, decoding values on {@code decodeOn} (see
	 * {@link #get(String, Executor)}).
	 * @param keys the keys, without the backend's prefix
	 * @param decodeOn where values read from the store are decoded
	 * @return a future of what {@link #getMany(Collection)} answers
	 */
	default CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		return getMany(keys);
	}

}
