package io.cachekit.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache.ValueRetrievalException;
import org.springframework.cache.support.NullValue;

import io.cachekit.core.CacheBackend;
import io.cachekit.loading.LoadingLayer;

/**
 * The writes and the load-through of one {@link CacheKitCache}, in Spring's values: a write
 * stores a value (a {@code null} as Spring's {@link NullValue} where the cache caches nulls, an
 * eviction where it does not); a load is one call of the store's {@code getOrLoad}, counted as
 * the bridge counts (a caller that shares another's load is a hit), and a stored value of
 * another type than the reader expects is replaced by the method's result.
 */
final class LoadThrough {

	private final String name;

	private final CacheBackend<Object> store;

	private final StoredValues values;

	private final CacheCounters counters;

	private final @Nullable Duration ttl;

	private final boolean allowNulls;

	private final Supplier<List<String>> tags;

	LoadThrough(String name, CacheBackend<Object> store, StoredValues values, CacheCounters counters,
			@Nullable Duration ttl, boolean allowNulls, Supplier<List<String>> tags) {
		this.name = name;
		this.store = store;
		this.values = values;
		this.counters = counters;
		this.ttl = ttl;
		this.allowNulls = allowNulls;
		this.tags = tags;
	}

	/** {@code @Cacheable(sync = true)}: the store's {@code getOrLoad}, the loader on this thread. */
	@SuppressWarnings("unchecked")
	<T> @Nullable T get(Object key, String storeKey, Callable<T> valueLoader) {
		LoadCall load = new LoadCall();
		Object stored;
		try {
			stored = this.store.getOrLoad(storeKey, () -> storable(load.call(valueLoader)), this.ttl, this.tags.get());
		}
		catch (RuntimeException ex) {
			throw new ValueRetrievalException(key, valueLoader, load.cause(ex));
		}
		Optional<Object> value = load.outcome(stored, this.values, this.name, storeKey, this.counters);
		if (value == null) {
			// another type under the key: the method's result replaces it
			T loaded = LoadCall.again(key, valueLoader);
			put(storeKey, loaded);
			return loaded;
		}
		if (value.get() == LoadingLayer.NOTHING_TO_STORE) {
			this.store.delete(storeKey);
			return null;
		}
		return (T) fromStore(value.get());
	}

	/** {@code @Cacheable(sync = true)} on a non-blocking method: the store's non-blocking {@code getOrLoad}. */
	@SuppressWarnings("unchecked")
	<T> CompletableFuture<T> retrieve(String storeKey, Supplier<CompletableFuture<T>> valueLoader) {
		LoadCall load = new LoadCall();
		Supplier<CompletableFuture<Object>> loader = () -> load.start(valueLoader).thenApply(this::storable);
		return this.store.async().getOrLoad(storeKey, loader, this.ttl, this.tags.get()).thenCompose((stored) -> {
			Optional<Object> value = load.outcome(stored, this.values, this.name, storeKey, this.counters);
			if (value == null) {
				// another type under the key: the method's result replaces it
				return valueLoader.get().thenCompose((loaded) -> putAsync(storeKey, loaded).thenApply((ok) -> loaded));
			}
			if (value.get() == LoadingLayer.NOTHING_TO_STORE) {
				return this.store.async().delete(storeKey).thenApply((removed) -> (T) null);
			}
			return CompletableFuture.completedFuture((T) fromStore(value.get()));
		});
	}

	/**
	 * Stores {@code value}; a {@code null} in a cache that does not cache nulls evicts the key
	 * instead, so that a stale value cannot outlive the method's answer.
	 */
	void put(String storeKey, @Nullable Object value) {
		if (value == null && !this.allowNulls) {
			this.store.delete(storeKey);
			return;
		}
		this.store.set(storeKey, toStore(value), this.ttl, this.tags.get());
		this.counters.put();
	}

	/** Stores {@code value} unless the key holds one (one SET NX); whether it did. */
	boolean putIfAbsent(String storeKey, @Nullable Object value) {
		if ((value != null || this.allowNulls) && this.store.add(storeKey, toStore(value), this.ttl)) {
			this.counters.put();
			return true;
		}
		return false;
	}

	private CompletableFuture<Boolean> putAsync(String storeKey, @Nullable Object value) {
		if (value == null && !this.allowNulls) {
			return this.store.async().delete(storeKey);
		}
		this.counters.put();
		return this.store.async().set(storeKey, toStore(value), this.ttl);
	}

	/** What the store keeps for a loaded {@code value}: nothing for a {@code null} this cache does not keep. */
	private Object storable(@Nullable Object value) {
		return (value == null && !this.allowNulls) ? LoadingLayer.NOTHING_TO_STORE : toStore(value);
	}

	private Object toStore(@Nullable Object value) {
		return this.values.toStore((value != null) ? value : NullValue.INSTANCE);
	}

	private @Nullable Object fromStore(Object storeValue) {
		return (this.allowNulls && storeValue == NullValue.INSTANCE) ? null : storeValue;
	}

}
