package io.cachekit.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;

/**
 * The async face of an {@link InMemoryCacheBackend}: each call runs on the caller's thread and
 * answers a completed future; an exception (a bad argument, a wrong-type key) completes it
 * exceptionally instead of being thrown, as with Redis.
 */
final class AsyncInMemoryCacheBackend<T> implements AsyncCacheBackend<T> {

	private final InMemoryCacheBackend<T> sync;

	AsyncInMemoryCacheBackend(InMemoryCacheBackend<T> sync) {
		this.sync = sync;
	}

	private static <R> CompletableFuture<R> call(Supplier<R> operation) {
		try {
			return CompletableFuture.completedFuture(operation.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return call(() -> this.sync.get(key));
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.sync.set(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.sync.add(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return call(() -> this.sync.delete(key));
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return call(() -> this.sync.exists(key));
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return call(() -> this.sync.expire(key, ttl));
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return call(() -> this.sync.expireAt(key, instant));
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return call(() -> this.sync.persist(key));
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return call(() -> this.sync.getTtl(key));
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return call(() -> this.sync.invalidatePattern(pattern));
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return call(this.sync::clear);
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return call(() -> this.sync.getMany(keys));
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return call(() -> this.sync.setMany(entries, ttl));
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return call(() -> this.sync.deleteMany(keys));
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return call(() -> this.sync.incr(key, amount, initial, ttl));
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return call(() -> this.sync.addToSet(key, member));
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return call(() -> this.sync.addManyToSet(key, members));
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return call(() -> this.sync.getSetMembers(key));
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return call(() -> this.sync.removeFromSet(key, member));
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return call(this.sync::ping);
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

}
