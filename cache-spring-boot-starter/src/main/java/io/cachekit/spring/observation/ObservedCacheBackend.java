package io.cachekit.spring.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.spring.observation.CacheKitObservations.Outcome;

import static io.cachekit.spring.observation.CacheKitObservations.keysOf;
import static io.cachekit.spring.observation.CacheKitObservations.size;
import static io.cachekit.spring.observation.CacheKitObservations.ttl;

/**
 * A {@link CacheBackend} whose every operation is a
 * {@link CacheKitObservationDocumentation#OPERATION} observation, in scope while the delegate
 * runs; its {@link #async()} face is observed too. Answers and exceptions are the delegate's.
 * Made by {@link CacheKitObservations#decorate}.
 *
 * @param <T> the value type
 */
public final class ObservedCacheBackend<T> implements CacheBackend<T> {

	private final CacheBackend<T> delegate;

	private final CacheKitObservations observations;

	private final String cacheName;

	private final ObservedAsyncCacheBackend<T> async;

	ObservedCacheBackend(CacheBackend<T> delegate, CacheKitObservations observations, String cacheName) {
		this.delegate = delegate;
		this.observations = observations;
		this.cacheName = cacheName;
		this.async = new ObservedAsyncCacheBackend<>(delegate.async(), this, observations, cacheName);
	}

	/**
	 * The backend that does the work.
	 * @return the delegate
	 */
	public CacheBackend<T> getDelegate() {
		return this.delegate;
	}

	/**
	 * The cache name on this backend's observations ({@code none} for the backend itself).
	 * @return the cache name
	 */
	public String getCacheName() {
		return this.cacheName;
	}

	@Override
	public Optional<T> get(String key) {
		CacheKitObservationContext c = this.observations.context("get", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.get(key), Outcome.READ);
	}

	@Override
	public T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl) {
		// the delegate's own getOrLoad, so a loading layer under it keeps its stampede protection
		CacheKitObservationContext c = this.observations.context("getOrLoad", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.getOrLoad(key, loader, ttl), Outcome.ALWAYS_STORED);
	}

	@Override
	public boolean set(String key, T value, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("set", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observe(c, () -> this.delegate.set(key, value, ttl), Outcome.STORED);
	}

	@Override
	public boolean add(String key, T value, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("add", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observe(c, () -> this.delegate.add(key, value, ttl), Outcome.STORED);
	}

	@Override
	public boolean delete(String key) {
		CacheKitObservationContext c = this.observations.context("delete", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.delete(key), Outcome.REMOVED);
	}

	@Override
	public boolean exists(String key) {
		CacheKitObservationContext c = this.observations.context("exists", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.exists(key), Outcome.FOUND);
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		CacheKitObservationContext c = this.observations.context("expire", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.expire(key, ttl), Outcome.FOUND);
	}

	@Override
	public boolean expireAt(String key, Instant instant) {
		CacheKitObservationContext c = this.observations.context("expireAt", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.expireAt(key, instant), Outcome.FOUND);
	}

	@Override
	public boolean persist(String key) {
		CacheKitObservationContext c = this.observations.context("persist", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.persist(key), Outcome.FOUND);
	}

	@Override
	public Optional<Duration> getTtl(String key) {
		CacheKitObservationContext c = this.observations.context("getTtl", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.getTtl(key), Outcome.READ);
	}

	@Override
	public long invalidatePattern(String pattern) {
		CacheKitObservationContext c = this.observations.context("invalidatePattern", this.cacheName, pattern);
		return this.observations.observe(c, () -> this.delegate.invalidatePattern(pattern), Outcome.REMOVED_COUNT);
	}

	@Override
	public boolean clear() {
		CacheKitObservationContext c = this.observations.context("clear", this.cacheName, (String) null);
		return this.observations.observe(c, () -> this.delegate.clear(), Outcome.REMOVED);
	}

	@Override
	public Map<String, T> getMany(Collection<String> keys) {
		CacheKitObservationContext c = this.observations.context("getMany", this.cacheName, keys);
		return this.observations.observe(c, () -> this.delegate.getMany(keys), Outcome.READ_MANY);
	}

	@Override
	public boolean setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("setMany", this.cacheName, keysOf(entries));
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.setMany(entries, ttl), Outcome.STORED);
	}

	@Override
	public long deleteMany(Collection<String> keys) {
		CacheKitObservationContext c = this.observations.context("deleteMany", this.cacheName, keys);
		return this.observations.observe(c, () -> this.delegate.deleteMany(keys), Outcome.REMOVED_COUNT);
	}

	@Override
	public long incr(String key, long amount, long initial, @Nullable Duration ttl) {
		CacheKitObservationContext c = this.observations.context("incr", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.incr(key, amount, initial, ttl), Outcome.ALWAYS_STORED);
	}

	@Override
	public boolean addToSet(String key, String member) {
		CacheKitObservationContext c = this.observations.context("addToSet", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.addToSet(key, member), Outcome.STORED);
	}

	@Override
	public long addManyToSet(String key, Collection<String> members) {
		CacheKitObservationContext c = this.observations.context("addManyToSet", this.cacheName, key);
		if (members != null) {
			c.setItems(members.size());
		}
		return this.observations.observe(c, () -> this.delegate.addManyToSet(key, members), Outcome.STORED_COUNT);
	}

	@Override
	public Set<String> getSetMembers(String key) {
		CacheKitObservationContext c = this.observations.context("getSetMembers", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.getSetMembers(key), Outcome.MEMBERS);
	}

	@Override
	public boolean removeFromSet(String key, String member) {
		CacheKitObservationContext c = this.observations.context("removeFromSet", this.cacheName, key);
		return this.observations.observe(c, () -> this.delegate.removeFromSet(key, member), Outcome.REMOVED);
	}

	@Override
	public boolean ping() {
		CacheKitObservationContext c = this.observations.context("ping", this.cacheName, (String) null);
		return this.observations.observe(c, () -> this.delegate.ping(), Outcome.ANSWERED);
	}

	@Override
	public AsyncCacheBackend<T> async() {
		return this.async;
	}

	@Override
	public String toString() {
		return "Observed[" + this.delegate + "]";
	}

	@Override
	public boolean set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		CacheKitObservationContext c = this.observations.context("set", this.cacheName, key);
		ttl(c, ttl);
		size(c, value);
		return this.observations.observe(c, () -> this.delegate.set(key, value, ttl, tags), Outcome.STORED);
	}

	@Override
	public T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl, Collection<String> tags) {
		CacheKitObservationContext c = this.observations.context("getOrLoad", this.cacheName, key);
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.getOrLoad(key, loader, ttl, tags), Outcome.ALWAYS_STORED);
	}

	@Override
	public boolean invalidateTag(String tag) {
		CacheKitObservationContext c = this.observations.context("invalidateTag", this.cacheName, (String) null);
		return this.observations.observe(c, () -> this.delegate.invalidateTag(tag), Outcome.ANSWERED);
	}

	@Override
	public Map<String, T> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, @Nullable Duration ttl) {
		// the delegate's own getAllOrLoad, so a loading layer under it keeps coalescing per key
		CacheKitObservationContext c = this.observations.context("getAllOrLoad", this.cacheName, keys);
		ttl(c, ttl);
		return this.observations.observe(c, () -> this.delegate.getAllOrLoad(keys, loader, ttl), Outcome.ALWAYS_STORED);
	}

}
