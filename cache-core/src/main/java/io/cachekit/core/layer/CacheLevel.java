package io.cachekit.core.layer;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.BulkLoad;
import io.cachekit.core.CacheLoadException;
import io.cachekit.core.TagsNotSupportedException;

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
	 * What {@link #get(String)} would answer for {@code key}, when this level can answer it at
	 * once from memory, on the calling thread, without waiting; {@code null} when it cannot (the
	 * caller then calls {@link #get(String, Executor)}). The blocking face tries it first, so a
	 * near cache's hit costs no future and no hand-over. {@code null} says nothing about whether
	 * the key is present. The answer must be the one {@code get} would give now: a level whose
	 * {@code get} changes what the level below answers must not pass this call down unchanged.
	 * This default: {@code null}.
	 * @param key the key, without the backend's prefix
	 * @return the answer of a read, or {@code null} when there is none to be had without waiting
	 */
	default @Nullable Optional<T> getNow(String key) {
		return null;
	}

	/**
	 * The entry stored under {@code key} as {@code decode} makes it of the stored bytes, read
	 * through a level of this stack that keeps what it reads (a near cache), for a layer above
	 * that stores entries in a form of its own and reads their bytes past the levels below (the
	 * loading layer's envelopes): the kept entry is answered again without a command, and dropped
	 * as the level drops its values (invalidations, the backend's own writes, flushes). This
	 * default: {@code null}, no level here keeps reads (the caller reads the bytes itself); a
	 * layer passes it down (as {@link ForwardingCacheLevel} does).
	 * @param <E> what an entry decodes to
	 * @param key the key, without the backend's prefix
	 * @param decode the decoder (one instance per caller level: what it made is kept for it alone)
	 * @param decodeOn where bytes read from the store are decoded, or {@code null}: the level's choice
	 * @return a future of the entry (empty: absent, or nothing to serve), or {@code null}
	 */
	default <E> @Nullable CompletableFuture<Optional<E>> readStored(String key, StoredDecoder<E> decode,
			@Nullable Executor decodeOn) {
		return null;
	}

	/**
	 * What {@link #readStored} would answer at once from memory, on the calling thread, without
	 * waiting ({@link #getNow}'s twin); {@code null} when it cannot. This default: {@code null}.
	 * @param <E> what an entry decodes to
	 * @param key the key, without the backend's prefix
	 * @param decode the decoder given to {@link #readStored}
	 * @return the kept entry, or {@code null}
	 */
	default <E> @Nullable Optional<E> readStoredNow(String key, StoredDecoder<E> decode) {
		return null;
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

	/**
	 * {@link #getOrLoad(String, Supplier, Duration)}, with the read decoded and the loader called
	 * on {@code loadOn}: the blocking face passes its own waiting thread, so a sync loader runs on
	 * the thread of its caller (or, for work that outlives the call such as a background
	 * refresh, wherever {@code loadOn} hands it). {@code null}: the level's own choice, never a
	 * Redis I/O thread. This default asks {@link #getOrLoad(String, Supplier, Duration, Executor, CacheLevel)}
	 * with this level as the top of the stack, so every level from here down (a near cache
	 * included) answers the read.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param loadOn where decoding and the loader run, or {@code null}
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn) {
		return getOrLoad(key, loader, ttl, loadOn, this);
	}

	/**
	 * {@link #getOrLoad(String, Supplier, Duration, Executor)} asked of the stack whose top level
	 * is {@code top}. A level that loads in its own way (a loading layer) overrides this; a layer
	 * that does not passes it down unchanged (as {@link ForwardingCacheLevel} does), so that
	 * this default, a plain GET, load, SET, reads and writes through {@code top}: what a layer
	 * between the top and this level does to {@code get} and {@code set} (a near cache answering
	 * from memory) applies to {@code getOrLoad} too.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param loadOn where decoding and the loader run, or {@code null}
	 * @param top the top level of the stack the call was made on, through which the read and the write go
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		Objects.requireNonNull(loader, "loader must not be null");
		Executor where = (loadOn != null) ? loadOn : ForkJoinPool.commonPool();
		CompletableFuture<Optional<T>> read = (loadOn != null) ? top.get(key, loadOn) : top.get(key);
		return read.thenComposeAsync((cached) -> {
			if (cached.isPresent()) {
				return CompletableFuture.completedFuture(cached.get());
			}
			return CacheLoadException.start(key, loader).thenCompose((value) -> top.set(key, value, ttl)
				.handle((stored, ex) -> value));
		}, where);
	}

	@Override
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl) {
		return getOrLoad(key, loader, ttl, (Executor) null);
	}

	/**
	 * {@link #getOrLoad(String, Supplier, Duration, Executor)} whose loaded value carries
	 * {@code tags}. A level that keeps tags (a loading layer with tags on) overrides it; a layer
	 * that does not passes it down (as {@link ForwardingCacheLevel} does). This default loads
	 * untagged when {@code tags} is empty and fails with {@link TagsNotSupportedException}
	 * otherwise.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param loadOn where decoding and the loader run, or {@code null}
	 * @param tags the tags of a loaded entry
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, Collection<String> tags) {
		Objects.requireNonNull(tags, "tags must not be null");
		return tags.isEmpty() ? getOrLoad(key, loader, ttl, loadOn)
				: CompletableFuture.failedFuture(new TagsNotSupportedException(this));
	}

	@Override
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Collection<String> tags) {
		return getOrLoad(key, loader, ttl, null, tags);
	}

	/**
	 * The TTL this level gives {@code value} written under {@code key} without a TTL, for a layer
	 * over it that derives TTLs itself (the loading layer's jitter and logical expiry): a
	 * {@link TtlFunctionLayer}'s answer. This default: {@code null}, the default TTL.
	 * @param key the key, without the backend's prefix
	 * @param value the value being written
	 * @return the entry's TTL, or {@code null} for the default TTL
	 * @throws IllegalArgumentException when the answer is a negative TTL
	 */
	default @Nullable Duration entryTtl(String key, T value) {
		return null;
	}

	/**
	 * {@link #getAllOrLoad(Collection, Function, Duration)}, with the read decoded and the loader
	 * called on {@code loadOn} (see {@link #getOrLoad(String, Supplier, Duration, Executor)}).
	 * This default asks {@link #getAllOrLoad(Collection, Function, Duration, Executor, CacheLevel)}
	 * with this level as the top of the stack.
	 * @param keys the keys, without the backend's prefix
	 * @param loader starts loading the missing keys it is given, in one call
	 * @param ttl time to live of loaded values; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param loadOn where decoding and the loader run, or {@code null}
	 * @return a future of the value of each key found or loaded, in request order
	 */
	default CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn) {
		return getAllOrLoad(keys, loader, ttl, loadOn, this);
	}

	/**
	 * {@link #getAllOrLoad(Collection, Function, Duration, Executor)} asked of the stack whose top
	 * level is {@code top}: as {@link #getOrLoad(String, Supplier, Duration, Executor, CacheLevel)},
	 * a level that loads in its own way (a loading layer: per-key coalescing) overrides this, a
	 * layer that does not passes it down, and this default, one {@code getMany}, one load of the
	 * missing keys, one {@code setMany}, reads and writes through {@code top} (so a near cache's
	 * hits are hits).
	 * @param keys the keys, without the backend's prefix
	 * @param loader starts loading the missing keys it is given, in one call
	 * @param ttl time to live of loaded values; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param loadOn where decoding and the loader run, or {@code null}
	 * @param top the top level of the stack the call was made on, through which the read and the write go
	 * @return a future of the value of each key found or loaded, in request order
	 */
	default CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		Objects.requireNonNull(loader, "loader must not be null");
		Set<String> distinct;
		try {
			distinct = BulkLoad.distinct(keys);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (distinct.isEmpty()) {
			return CompletableFuture.completedFuture(Map.of());
		}
		Executor where = (loadOn != null) ? loadOn : ForkJoinPool.commonPool();
		CompletableFuture<Map<String, T>> read = (loadOn != null) ? top.getMany(distinct, loadOn) : top.getMany(distinct);
		return read.thenComposeAsync((found) -> {
			Set<String> missing = BulkLoad.missing(distinct, found);
			if (missing.isEmpty()) {
				return CompletableFuture.completedFuture(BulkLoad.answer(distinct, found, Map.of()));
			}
			return BulkLoad.<T>start(missing, loader).thenCompose((loaded) -> (loaded.isEmpty()
					? CompletableFuture.completedFuture(true) : top.setMany(loaded, ttl))
				.handle((stored, ex) -> BulkLoad.answer(distinct, found, loaded)));
		}, where);
	}

	@Override
	default CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl) {
		return getAllOrLoad(keys, loader, ttl, null);
	}

}
