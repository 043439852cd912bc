package io.cachekit.spring.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.spring.observation.CacheKitObservations.Outcome;

import static io.cachekit.spring.observation.CacheKitObservations.keysOf;
import static io.cachekit.spring.observation.CacheKitObservations.size;
import static io.cachekit.spring.observation.CacheKitObservations.ttl;

/** The observed non-blocking face of an {@link ObservedCacheBackend}. */
final class ObservedAsyncCacheBackend<T> implements AsyncCacheBackend<T> {

	private final AsyncCacheBackend<T> delegate;

	private final ObservedCacheBackend<T> sync;

	private final CacheKitObservations observations;

	private final String cacheName;

	ObservedAsyncCacheBackend(AsyncCacheBackend<T> delegate, ObservedCacheBackend<T> sync,
			CacheKitObservations observations, String cacheName) {
		this.delegate = delegate;
		this.sync = sync;
		this.observations = observations;
		this.cacheName = cacheName;
	}

	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("getOrLoad", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.getOrLoad(key, loader, ttl), Outcome.ALWAYS_STORED);
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		CacheKitObservationContext c = this.observations.context("get", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.get(key), Outcome.READ);
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("set", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observeAsync(c, () -> this.delegate.set(key, value, ttl), Outcome.STORED);
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("add", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observeAsync(c, () -> this.delegate.add(key, value, ttl), Outcome.STORED);
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		CacheKitObservationContext c = this.observations.context("delete", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.delete(key), Outcome.REMOVED);
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		CacheKitObservationContext c = this.observations.context("exists", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.exists(key), Outcome.FOUND);
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		CacheKitObservationContext c = this.observations.context("expire", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.expire(key, ttl), Outcome.FOUND);
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		CacheKitObservationContext c = this.observations.context("expireAt", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.expireAt(key, instant), Outcome.FOUND);
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		CacheKitObservationContext c = this.observations.context("persist", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.persist(key), Outcome.FOUND);
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		CacheKitObservationContext c = this.observations.context("getTtl", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.getTtl(key), Outcome.READ);
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		CacheKitObservationContext c = this.observations.context("invalidatePattern", this.cacheName, pattern);
		return this.observations.observeAsync(c, () -> this.delegate.invalidatePattern(pattern), Outcome.REMOVED_COUNT);
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		CacheKitObservationContext c = this.observations.context("clear", this.cacheName, (String) null);
		return this.observations.observeAsync(c, () -> this.delegate.clear(), Outcome.REMOVED);
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		CacheKitObservationContext c = this.observations.context("getMany", this.cacheName, keys);
		return this.observations.observeAsync(c, () -> this.delegate.getMany(keys), Outcome.READ_MANY);
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("setMany", this.cacheName, keysOf(entries));
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.setMany(entries, ttl), Outcome.STORED);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		CacheKitObservationContext c = this.observations.context("deleteMany", this.cacheName, keys);
		return this.observations.observeAsync(c, () -> this.delegate.deleteMany(keys), Outcome.REMOVED_COUNT);
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("incr", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.incr(key, amount, initial, ttl), Outcome.ALWAYS_STORED);
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		CacheKitObservationContext c = this.observations.context("addToSet", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.addToSet(key, member), Outcome.STORED);
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		CacheKitObservationContext c = this.observations.context("addManyToSet", this.cacheName, key);
		if (members != null) {
			c.setItems(members.size());
		}
		return this.observations.observeAsync(c, () -> this.delegate.addManyToSet(key, members), Outcome.STORED_COUNT);
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		CacheKitObservationContext c = this.observations.context("getSetMembers", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.getSetMembers(key), Outcome.MEMBERS);
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		CacheKitObservationContext c = this.observations.context("removeFromSet", this.cacheName, key);
		return this.observations.observeAsync(c, () -> this.delegate.removeFromSet(key, member), Outcome.REMOVED);
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		CacheKitObservationContext c = this.observations.context("ping", this.cacheName, (String) null);
		return this.observations.observeAsync(c, () -> this.delegate.ping(), Outcome.ANSWERED);
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		CacheKitObservationContext c = this.observations.context("set", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observeAsync(c, () -> this.delegate.set(key, value, ttl, tags), Outcome.STORED);
	}

	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Collection<String> tags) {
		CacheKitObservationContext c = this.observations.context("getOrLoad", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.getOrLoad(key, loader, ttl, tags),
				Outcome.ALWAYS_STORED);
	}

	@Override
	public CompletableFuture<Boolean> invalidateTag(String tag) {
		CacheKitObservationContext c = this.observations.context("invalidateTag", this.cacheName, (String) null);
		return this.observations.observeAsync(c, () -> this.delegate.invalidateTag(tag), Outcome.ANSWERED);
	}

	@Override
	public CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("getAllOrLoad", this.cacheName, keys);
		ttl(c, ttl);
		return this.observations.observeAsync(c, () -> this.delegate.getAllOrLoad(keys, loader, ttl), Outcome.ALWAYS_STORED);
	}

}
