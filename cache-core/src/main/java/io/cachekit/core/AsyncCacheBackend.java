package io.cachekit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The non-blocking face of a {@link CacheBackend}: the same operations with the same answers
 * and the same errors, except that an error completes the returned future exceptionally instead
 * of being thrown. Futures complete on a Redis I/O thread: do not block in their callbacks.
 *
 * @param <T> the value type
 * @see CacheBackend for what each operation does
 */
public interface AsyncCacheBackend<T> {

	/**
	 * See {@link CacheBackend#get(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#get(String)} answers
	 */
	CompletableFuture<Optional<T>> get(String key);

	/**
	 * See {@link CacheBackend#set(String, Object)}.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @return a future of what {@link CacheBackend#set(String, Object)} answers
	 */
	default CompletableFuture<Boolean> set(String key, T value) {
		return set(key, value, null);
	}

	/**
	 * See {@link CacheBackend#set(String, Object, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#set(String, Object, Duration)} answers
	 */
	CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl);

	/**
	 * See {@link CacheBackend#add(String, Object)}.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @return a future of what {@link CacheBackend#add(String, Object)} answers
	 */
	default CompletableFuture<Boolean> add(String key, T value) {
		return add(key, value, null);
	}

	/**
	 * See {@link CacheBackend#add(String, Object, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#add(String, Object, Duration)} answers
	 */
	CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl);

	/**
	 * See {@link CacheBackend#delete(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#delete(String)} answers
	 */
	CompletableFuture<Boolean> delete(String key);

	/**
	 * See {@link CacheBackend#exists(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#exists(String)} answers
	 */
	CompletableFuture<Boolean> exists(String key);

	/**
	 * See {@link CacheBackend#expire(String, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#expire(String, Duration)} answers
	 */
	CompletableFuture<Boolean> expire(String key, Duration ttl);

	/**
	 * See {@link CacheBackend#expireAt(String, Instant)}.
	 * @param key the key, without the backend's prefix
	 * @param instant when it expires
	 * @return a future of what {@link CacheBackend#expireAt(String, Instant)} answers
	 */
	CompletableFuture<Boolean> expireAt(String key, Instant instant);

	/**
	 * See {@link CacheBackend#persist(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#persist(String)} answers
	 */
	CompletableFuture<Boolean> persist(String key);

	/**
	 * See {@link CacheBackend#getTtl(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#getTtl(String)} answers
	 */
	CompletableFuture<Optional<Duration>> getTtl(String key);

	/**
	 * See {@link CacheBackend#invalidatePattern(String)}.
	 * @param pattern the glob, without the backend's prefix
	 * @return a future of what {@link CacheBackend#invalidatePattern(String)} answers
	 */
	CompletableFuture<Long> invalidatePattern(String pattern);

	/**
	 * See {@link CacheBackend#clear()}.
	 * @return a future of what {@link CacheBackend#clear()} answers
	 */
	CompletableFuture<Boolean> clear();

	/**
	 * See {@link CacheBackend#getMany(Collection)}.
	 * @param keys the keys, without the backend's prefix
	 * @return a future of what {@link CacheBackend#getMany(Collection)} answers
	 */
	CompletableFuture<Map<String, T>> getMany(Collection<String> keys);

	/**
	 * See {@link CacheBackend#setMany(Map)}.
	 * @param entries keys (without the backend's prefix) and their values
	 * @return a future of what {@link CacheBackend#setMany(Map)} answers
	 */
	default CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries) {
		return setMany(entries, null);
	}

	/**
	 * See {@link CacheBackend#setMany(Map, Duration)}.
	 * @param entries keys (without the backend's prefix) and their values
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#setMany(Map, Duration)} answers
	 */
	CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl);

	/**
	 * See {@link CacheBackend#deleteMany(Collection)}.
	 * @param keys the keys, without the backend's prefix
	 * @return a future of what {@link CacheBackend#deleteMany(Collection)} answers
	 */
	CompletableFuture<Long> deleteMany(Collection<String> keys);

	/**
	 * See {@link CacheBackend#incr(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#incr(String)} answers
	 */
	default CompletableFuture<Long> incr(String key) {
		return incr(key, 1, 0, null);
	}

	/**
	 * See {@link CacheBackend#incr(String, long)}.
	 * @param key the key, without the backend's prefix
	 * @param amount how much to change the counter by
	 * @return a future of what {@link CacheBackend#incr(String, long)} answers
	 */
	default CompletableFuture<Long> incr(String key, long amount) {
		return incr(key, amount, 0, null);
	}

	/**
	 * See {@link CacheBackend#incr(String, long, long, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param amount how much to change the counter by
	 * @param initial the value a missing counter is created at
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#incr(String, long, long, Duration)} answers
	 */
	CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl);

	/**
	 * See {@link CacheBackend#decr(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#decr(String)} answers
	 */
	default CompletableFuture<Long> decr(String key) {
		return incr(key, -1, 0, null);
	}

	/**
	 * See {@link CacheBackend#decr(String, long)}.
	 * @param key the key, without the backend's prefix
	 * @param amount how much to change the counter by
	 * @return a future of what {@link CacheBackend#decr(String, long)} answers
	 */
	default CompletableFuture<Long> decr(String key, long amount) {
		return incr(key, -amount, 0, null);
	}

	/**
	 * See {@link CacheBackend#decr(String, long, long, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param amount how much to change the counter by
	 * @param initial the value a missing counter is created at
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of what {@link CacheBackend#decr(String, long, long, Duration)} answers
	 */
	default CompletableFuture<Long> decr(String key, long amount, long initial, @Nullable Duration ttl) {
		return incr(key, -amount, initial, ttl);
	}

	/**
	 * See {@link CacheBackend#addToSet(String, String)}.
	 * @param key the key, without the backend's prefix
	 * @param member the set member
	 * @return a future of what {@link CacheBackend#addToSet(String, String)} answers
	 */
	CompletableFuture<Boolean> addToSet(String key, String member);

	/**
	 * See {@link CacheBackend#addManyToSet(String, Collection)}.
	 * @param key the key, without the backend's prefix
	 * @param members the set members
	 * @return a future of what {@link CacheBackend#addManyToSet(String, Collection)} answers
	 */
	CompletableFuture<Long> addManyToSet(String key, Collection<String> members);

	/**
	 * See {@link CacheBackend#getSetMembers(String)}.
	 * @param key the key, without the backend's prefix
	 * @return a future of what {@link CacheBackend#getSetMembers(String)} answers
	 */
	CompletableFuture<Set<String>> getSetMembers(String key);

	/**
	 * See {@link CacheBackend#removeFromSet(String, String)}.
	 * @param key the key, without the backend's prefix
	 * @param member the set member
	 * @return a future of what {@link CacheBackend#removeFromSet(String, String)} answers
	 */
	CompletableFuture<Boolean> removeFromSet(String key, String member);

	/**
	 * See {@link CacheBackend#ping()}.
	 * @return a future of what {@link CacheBackend#ping()} answers
	 */
	CompletableFuture<Boolean> ping();

	/**
	 * See {@link CacheBackend#getOrLoad(String, Callable)}: the value under {@code key}, or
	 * {@code loader}'s, stored with the default TTL.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss; its future must not answer {@code null}
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader) {
		return getOrLoad(key, loader, null);
	}

	/**
	 * See {@link CacheBackend#getOrLoad(String, Callable, Duration)}: the value under
	 * {@code key}; on a miss, the value of the future {@code loader} answers, stored with
	 * {@code ttl}. This default is a plain GET, load, SET; a loading layer coalesces loads. The
	 * loader is called off the Redis I/O threads (on {@link ForkJoinPool#commonPool()} here).
	 * The future fails with the loader's exception when the loader fails.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss; its future must not answer {@code null}
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl) {
		Objects.requireNonNull(loader, "loader must not be null");
		return get(key).thenComposeAsync((cached) -> {
			if (cached.isPresent()) {
				return CompletableFuture.completedFuture(cached.get());
			}
			return CacheLoadException.start(key, loader).thenCompose((value) -> set(key, value, ttl)
				.handle((stored, ex) -> value));
		}, ForkJoinPool.commonPool());
	}

	/**
	 * The blocking face of this backend.
	 * @return the synchronous view of this backend
	 */
	CacheBackend<T> sync();

	/**
	 * See {@link CacheBackend#set(String, Object, Duration, Collection)}: stores {@code value}
	 * carrying {@code tags}, so that {@link #invalidateTag(String)} of any of them makes it a miss.
	 * This default stores an untagged value when {@code tags} is empty and fails with
	 * {@link TagsNotSupportedException} otherwise; a loading layer with tags on overrides it.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param tags the entry's tags, non-empty strings (none: an untagged write)
	 * @return a future of {@code true} when stored
	 */
	default CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		Objects.requireNonNull(tags, "tags must not be null");
		return tags.isEmpty() ? set(key, value, ttl) : CompletableFuture.failedFuture(new TagsNotSupportedException(this));
	}

	/**
	 * See {@link CacheBackend#getOrLoad(String, Callable, Duration, Collection)}: the value under
	 * {@code key}; on a miss, the loader's, stored carrying {@code tags} with the tag versions read
	 * before the loader was called. This default loads untagged when {@code tags} is empty and
	 * fails with {@link TagsNotSupportedException} otherwise.
	 * @param key the key, without the backend's prefix
	 * @param loader starts computing the value on a miss; its future must not answer {@code null}
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param tags the tags of a loaded entry (none: an untagged load)
	 * @return a future of the cached or loaded value
	 */
	default CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Collection<String> tags) {
		Objects.requireNonNull(tags, "tags must not be null");
		return tags.isEmpty() ? getOrLoad(key, loader, ttl)
				: CompletableFuture.failedFuture(new TagsNotSupportedException(this));
	}

	/**
	 * See {@link CacheBackend#invalidateTag(String)}: makes every entry carrying {@code tag} a
	 * miss, with one write. This default fails with {@link TagsNotSupportedException}.
	 * @param tag the tag, a non-empty string
	 * @return a future of {@code true} once the invalidation is written
	 */
	default CompletableFuture<Boolean> invalidateTag(String tag) {
		return CompletableFuture.failedFuture(new TagsNotSupportedException(this));
	}

	/**
	 * See {@link CacheBackend#getAllOrLoad(Collection, Function)}: the values of {@code keys},
	 * those missing loaded by {@code loader} in one call and stored with the default TTL.
	 * @param keys the keys, without the backend's prefix
	 * @param loader starts loading the missing keys it is given, in one call
	 * @return a future of the value of each key found or loaded, in request order
	 */
	default CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader) {
		return getAllOrLoad(keys, loader, null);
	}

	/**
	 * See {@link CacheBackend#getAllOrLoad(Collection, Function, Duration)}: one {@code getMany},
	 * one call of {@code loader} with exactly the missing keys, one {@code setMany} of what its
	 * future answered. This default does no coalescing; a loading layer coalesces loads per key.
	 * The loader is called off the Redis I/O threads (on {@link ForkJoinPool#commonPool()} here).
	 * The future fails with the loader's exception when the loader fails.
	 * @param keys the keys, without the backend's prefix
	 * @param loader starts loading the missing keys it is given, in one call; its future must not answer {@code null}
	 * @param ttl time to live of loaded values; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of the value of each key found or loaded, in request order
	 */
	default CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl) {
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
		return getMany(distinct).thenComposeAsync((found) -> {
			Set<String> missing = BulkLoad.missing(distinct, found);
			if (missing.isEmpty()) {
				return CompletableFuture.completedFuture(BulkLoad.answer(distinct, found, Map.of()));
			}
			return BulkLoad.<T>start(missing, loader).thenCompose((loaded) -> (loaded.isEmpty()
					? CompletableFuture.completedFuture(true) : setMany(loaded, ttl))
				.handle((stored, ex) -> BulkLoad.answer(distinct, found, loaded)));
		}, ForkJoinPool.commonPool());
	}

}
