package io.cachekit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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

	/** See {@link CacheBackend#get(String)}. */
	CompletableFuture<Optional<T>> get(String key);

	/** See {@link CacheBackend#set(String, Object)}. */
	default CompletableFuture<Boolean> set(String key, T value) {
		return set(key, value, null);
	}

	/** See {@link CacheBackend#set(String, Object, Duration)}. */
	CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl);

	/** See {@link CacheBackend#add(String, Object)}. */
	default CompletableFuture<Boolean> add(String key, T value) {
		return add(key, value, null);
	}

	/** See {@link CacheBackend#add(String, Object, Duration)}. */
	CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl);

	/** See {@link CacheBackend#delete(String)}. */
	CompletableFuture<Boolean> delete(String key);

	/** See {@link CacheBackend#exists(String)}. */
	CompletableFuture<Boolean> exists(String key);

	/** See {@link CacheBackend#expire(String, Duration)}. */
	CompletableFuture<Boolean> expire(String key, Duration ttl);

	/** See {@link CacheBackend#expireAt(String, Instant)}. */
	CompletableFuture<Boolean> expireAt(String key, Instant instant);

	/** See {@link CacheBackend#persist(String)}. */
	CompletableFuture<Boolean> persist(String key);

	/** See {@link CacheBackend#getTtl(String)}. */
	CompletableFuture<Optional<Duration>> getTtl(String key);

	/** See {@link CacheBackend#invalidatePattern(String)}. */
	CompletableFuture<Long> invalidatePattern(String pattern);

	/** See {@link CacheBackend#clear()}. */
	CompletableFuture<Boolean> clear();

	/** See {@link CacheBackend#getMany(Collection)}. */
	CompletableFuture<Map<String, T>> getMany(Collection<String> keys);

	/** See {@link CacheBackend#setMany(Map)}. */
	default CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries) {
		return setMany(entries, null);
	}

	/** See {@link CacheBackend#setMany(Map, Duration)}. */
	CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl);

	/** See {@link CacheBackend#deleteMany(Collection)}. */
	CompletableFuture<Long> deleteMany(Collection<String> keys);

	/** See {@link CacheBackend#incr(String)}. */
	default CompletableFuture<Long> incr(String key) {
		return incr(key, 1, 0, null);
	}

	/** See {@link CacheBackend#incr(String, long)}. */
	default CompletableFuture<Long> incr(String key, long amount) {
		return incr(key, amount, 0, null);
	}

	/** See {@link CacheBackend#incr(String, long, long, Duration)}. */
	CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl);

	/** See {@link CacheBackend#decr(String)}. */
	default CompletableFuture<Long> decr(String key) {
		return incr(key, -1, 0, null);
	}

	/** See {@link CacheBackend#decr(String, long)}. */
	default CompletableFuture<Long> decr(String key, long amount) {
		return incr(key, -amount, 0, null);
	}

	/** See {@link CacheBackend#decr(String, long, long, Duration)}. */
	default CompletableFuture<Long> decr(String key, long amount, long initial, @Nullable Duration ttl) {
		return incr(key, -amount, initial, ttl);
	}

	/** See {@link CacheBackend#addToSet(String, String)}. */
	CompletableFuture<Boolean> addToSet(String key, String member);

	/** See {@link CacheBackend#addManyToSet(String, Collection)}. */
	CompletableFuture<Long> addManyToSet(String key, Collection<String> members);

	/** See {@link CacheBackend#getSetMembers(String)}. */
	CompletableFuture<Set<String>> getSetMembers(String key);

	/** See {@link CacheBackend#removeFromSet(String, String)}. */
	CompletableFuture<Boolean> removeFromSet(String key, String member);

	/** See {@link CacheBackend#ping()}. */
	CompletableFuture<Boolean> ping();

	/** The blocking face of this backend. */
	CacheBackend<T> sync();

}
