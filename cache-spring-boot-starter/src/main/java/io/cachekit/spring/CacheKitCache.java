package io.cachekit.spring;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;
import org.springframework.util.ClassUtils;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.KeyPatterns;
import io.cachekit.loading.LoadingStats;
import io.cachekit.near.NearCacheStats;

/**
 * One named Spring {@link org.springframework.cache.Cache} on a CacheKit backend. Entries live
 * under {@code prefix + name + "::" + key}; eviction, {@code clear()} and {@code invalidate()}
 * never reach outside that namespace. Failures follow the backend's failure mode: in fail-open a
 * Redis outage makes the cache a pass-through.
 */
public class CacheKitCache extends AbstractValueAdaptingCache {

	private final String name;

	private final CacheBackend<Object> store;

	private final CacheKitCacheConfiguration configuration;

	private final String keyPrefix;

	/**
	 * Stored for a cached {@code null} when the bridge cannot wrap the backend's serializer (a
	 * backend that is not a {@code RedisCacheBackend}): no method result is this string.
	 */
	static final String TEXT_NULL_MARKER = "\u0000cachekit:null";

	private final FailureMode failureMode;

	private final boolean textNullMarker;

	private final ConcurrentMap<String, CompletableFuture<Object>> loads = new ConcurrentHashMap<>();

	/** The counters of the store's loading layer; {@code null}: the store has none. */
	private final @Nullable LoadingStats loading;

	/** The counters of the cache's own near cache; {@code null}: it has none (or shares the backend's). */
	private final @Nullable NearCacheStats nearCache;

	private final ConcurrentMap<Class<?>, Cache> typedViews = new ConcurrentHashMap<>();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	/**
	 * A cache in fail-open mode.
	 * @param name the cache name
	 * @param store the backend view storing this cache's entries (its serializer must handle
	 *     Spring's {@code NullValue} when null values are cached)
	 * @param configuration TTL and null handling
	 */
	public CacheKitCache(String name, CacheBackend<Object> store, CacheKitCacheConfiguration configuration) {
		this(name, store, configuration, FailureMode.FAIL_OPEN);
	}

	/**
	 * A cache in the backend's failure mode.
	 * @param name the cache name
	 * @param store the backend view storing this cache's entries (its serializer must handle
	 *     Spring's {@code NullValue} when null values are cached)
	 * @param configuration TTL and null handling
	 * @param failureMode the backend's failure mode: whether a stored value of the wrong type
	 *     (see {@link #forValueType(Class)}) is a miss or a {@link CacheException}
	 */
	public CacheKitCache(String name, CacheBackend<Object> store, CacheKitCacheConfiguration configuration,
			FailureMode failureMode) {
		this(name, store, configuration, failureMode, false);
	}

	/** @param textNullMarker whether a cached null is stored as {@link #TEXT_NULL_MARKER} */
	CacheKitCache(String name, CacheBackend<Object> store, CacheKitCacheConfiguration configuration,
			FailureMode failureMode, boolean textNullMarker) {
		this(name, store, configuration, failureMode, textNullMarker, null, null);
	}

	/**
	 * @param loading the counters of the store's loading layer, or {@code null} when it has none
	 * @param nearCache the counters of the cache's own near cache, or {@code null} when it has none
	 */
	CacheKitCache(String name, CacheBackend<Object> store, CacheKitCacheConfiguration configuration,
			FailureMode failureMode, boolean textNullMarker, @Nullable LoadingStats loading,
			@Nullable NearCacheStats nearCache) {
		super(configuration.isCacheNullValues());
		this.loading = loading;
		this.nearCache = nearCache;
		this.textNullMarker = textNullMarker;
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("name must not be empty");
		}
		this.name = name;
		this.store = store;
		this.configuration = configuration;
		this.keyPrefix = name + "::";
	}

	@Override
	public String getName() {
		return this.name;
	}

	/** The backend view holding this cache's entries. */
	@Override
	public CacheBackend<Object> getNativeCache() {
		return this.store;
	}

	/**
	 * The settings of this cache.
	 * @return its configuration
	 */
	public CacheKitCacheConfiguration getConfiguration() {
		return this.configuration;
	}

	/**
	 * A view of this cache for callers that expect values of {@code type} (a {@code @Cacheable}
	 * method's return type): a stored value of another type is a miss in fail-open mode, so the
	 * method runs and its result replaces the entry, and a {@link CacheException} with
	 * {@link ErrorCode#SERIALIZATION} in fail-fast mode. Cached {@code null}s always match.
	 * Writes, evictions and statistics are this cache's.
	 * @param type the class values must have
	 * @return a view of this cache for {@code type}
	 */
	public Cache forValueType(Class<?> type) {
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		return (boxed == Object.class) ? this : this.typedViews.computeIfAbsent(boxed, (t) -> new TypedView(this, t));
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		return lookup(key, null);
	}

	private @Nullable Object lookup(Object key, @Nullable Class<?> type) {
		String redisKey = redisKey(key);
		Optional<Object> value = checked(this.store.get(redisKey), type, redisKey);
		(value.isPresent() ? this.hits : this.misses).increment();
		return value.orElse(null);
	}

	/**
	 * {@code value} when it is of {@code type} (or no type is expected, or it is the null
	 * marker); otherwise empty in fail-open mode, a {@link CacheException} in fail-fast mode.
	 */
	private Optional<Object> checked(Optional<Object> stored, @Nullable Class<?> type, String redisKey) {
		Optional<Object> value = (this.textNullMarker && stored.isPresent() && TEXT_NULL_MARKER.equals(stored.get()))
				? Optional.of(NullValue.INSTANCE) : stored;
		if (type == null || value.isEmpty() || value.get() instanceof NullValue || type.isInstance(value.get())) {
			return value;
		}
		if (this.failureMode == FailureMode.FAIL_FAST) {
			throw new CacheException(ErrorCode.SERIALIZATION, "cache '" + this.name + "' holds a "
					+ value.get().getClass().getName() + " under '" + redisKey + "' where a " + type.getName()
					+ " is expected");
		}
		return Optional.empty();
	}

	/**
	 * For {@code @Cacheable(sync = true)}: at most one load per key at a time in this JVM; other
	 * callers for the same key wait for that load and share its value.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return get(key, valueLoader, null);
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T get(Object key, Callable<T> valueLoader, @Nullable Class<?> type) {
		String redisKey = redisKey(key);
		if (this.loading != null) {
			// the loading layer coalesces (and refreshes early on hits): every call goes through it
			return (T) loadThrough(key, redisKey, valueLoader, type, true);
		}
		Optional<Object> cached = checked(this.store.get(redisKey), type, redisKey);
		if (cached.isPresent()) {
			this.hits.increment();
			return (T) fromStoreValue(cached.get());
		}
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loads.putIfAbsent(redisKey, mine);
		if (running != null) {
			this.hits.increment();
			return (T) awaitLoad(running, key, valueLoader);
		}
		this.misses.increment();
		try {
			// another JVM (or a caller that just finished) may have stored it meanwhile: getOrLoad reads first
			Object value = loadThrough(key, redisKey, valueLoader, type, false);
			mine.complete(value);
			return (T) value;
		}
		catch (Throwable ex) {
			mine.completeExceptionally(ex);
			throw (ex instanceof ValueRetrievalException retrieval) ? retrieval : new ValueRetrievalException(key, valueLoader, ex);
		}
		finally {
			this.loads.remove(redisKey, mine);
		}
	}

	/**
	 * The store's {@code getOrLoad} of {@code redisKey} with {@code valueLoader}: the user's value
	 * (a cached {@code null} included); a loader's failure is a {@link ValueRetrievalException}.
	 * A stored value of another type than {@code type} is replaced by the loader's.
	 */
	private @Nullable Object loadThrough(Object key, String redisKey, Callable<?> valueLoader, @Nullable Class<?> type,
			boolean count) {
		AtomicBoolean ran = new AtomicBoolean();
		Object stored;
		try {
			stored = this.store.getOrLoad(redisKey, () -> {
				ran.set(true);
				return storable(call(valueLoader));
			}, this.configuration.getTtl());
		}
		catch (LoaderFailure failure) {
			throw new ValueRetrievalException(key, valueLoader, failure.getCause());
		}
		catch (NullResult nothing) {
			this.store.delete(redisKey);
			return null;
		}
		Optional<Object> value = checked(Optional.of(stored), type, redisKey);
		if (value.isEmpty()) {
			// another type under the key: the method's result replaces it
			Object loaded;
			try {
				loaded = valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
			write(redisKey, loaded);
			return loaded;
		}
		if (count) {
			(ran.get() ? this.misses : this.hits).increment();
		}
		if (ran.get()) {
			this.puts.increment();
		}
		return fromStoreValue(value.get());
	}

	private static @Nullable Object call(Callable<?> valueLoader) {
		try {
			return valueLoader.call();
		}
		catch (Exception ex) {
			throw new LoaderFailure(ex);
		}
	}

	/** What the store keeps for a loaded {@code value}; a {@code null} a cache does not keep is {@link NullResult}. */
	private Object storable(@Nullable Object value) {
		if (value == null && !isAllowNullValues()) {
			throw new NullResult();
		}
		return toStoreValue(value);
	}

	private static @Nullable Object awaitLoad(CompletableFuture<Object> running, Object key, Callable<?> loader) {
		try {
			return running.get();
		}
		catch (ExecutionException ex) {
			throw new ValueRetrievalException(key, loader, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ValueRetrievalException(key, loader, ex);
		}
	}

	/** Non-blocking lookup for {@code @Cacheable} methods returning {@code CompletableFuture}. */
	@Override
	public CompletableFuture<?> retrieve(Object key) {
		return retrieve(key, (Class<?>) null);
	}

	private CompletableFuture<?> retrieve(Object key, @Nullable Class<?> type) {
		String redisKey = redisKey(key);
		return this.store.async().get(redisKey).thenApply((stored) -> checked(stored, type, redisKey)).thenApply((value) -> {
			if (value.isEmpty()) {
				this.misses.increment();
				return null;
			}
			this.hits.increment();
			return isAllowNullValues() ? toValueWrapper(value.get()) : fromStoreValue(value.get());
		});
	}

	/**
	 * For {@code @Cacheable(sync = true)} on methods returning {@code CompletableFuture} or a
	 * Reactor {@code Mono}/{@code Flux}: at most one load per key at a time in this JVM (shared
	 * with {@link #get(Object, Callable)}); other callers for the same key get that load's result.
	 * Nothing blocks: a caller that arrives while the load runs is handed a future of its result.
	 */
	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return retrieve(key, valueLoader, null);
	}

	@SuppressWarnings("unchecked")
	private <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader,
			@Nullable Class<?> type) {
		String redisKey = redisKey(key);
		Supplier<CompletableFuture<?>> loader = (Supplier<CompletableFuture<?>>) (Supplier<?>) valueLoader;
		if (this.loading != null) {
			return (CompletableFuture<T>) loadThroughAsync(redisKey, loader, type, true);
		}
		CompletableFuture<Object> running = this.loads.get(redisKey);
		if (running != null) {
			this.hits.increment();
			return (CompletableFuture<T>) running.thenApply((value) -> value);
		}
		return this.store.async().get(redisKey).thenCompose((stored) -> {
			Optional<Object> value = checked(stored, type, redisKey);
			if (value.isPresent()) {
				this.hits.increment();
				return CompletableFuture.completedFuture((T) fromStoreValue(value.get()));
			}
			return (CompletableFuture<T>) loadOnce(redisKey, loader, type);
		});
	}

	/**
	 * Runs {@code valueLoader} unless a load of {@code redisKey} is already under way, in which
	 * case its result is shared. The record of the load is removed only after the value was
	 * written, so a caller that finds no record either finds the value in Redis (the read of
	 * {@code getOrLoad}) or is the one that loads.
	 */
	private CompletableFuture<Object> loadOnce(String redisKey, Supplier<CompletableFuture<?>> valueLoader,
			@Nullable Class<?> type) {
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loads.putIfAbsent(redisKey, mine);
		if (running != null) {
			this.hits.increment();
			return running.thenApply((value) -> value);
		}
		this.misses.increment();
		CompletableFuture<Object> result;
		try {
			result = loadThroughAsync(redisKey, valueLoader, type, false);
		}
		catch (Throwable ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		result.whenComplete((value, error) -> {
			this.loads.remove(redisKey, mine);
			if (error != null) {
				mine.completeExceptionally(error);
			}
			else {
				mine.complete(value);
			}
		});
		return mine.thenApply((value) -> value);
	}

	/** {@link #loadThrough} on the store's non-blocking face; the loader's own failure fails the future. */
	private CompletableFuture<@Nullable Object> loadThroughAsync(String redisKey, Supplier<CompletableFuture<?>> valueLoader,
			@Nullable Class<?> type, boolean count) {
		AtomicBoolean ran = new AtomicBoolean();
		return this.store.async().getOrLoad(redisKey, () -> {
			ran.set(true);
			CompletableFuture<?> loading = valueLoader.get();
			if (loading == null) {
				throw new IllegalStateException("the value loader answered a null CompletableFuture");
			}
			return loading.thenApply(this::storable);
		}, this.configuration.getTtl()).handle((stored, error) -> {
			Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
			if (cause instanceof NullResult) {
				return this.store.async().delete(redisKey).thenApply((removed) -> (@Nullable Object) null);
			}
			if (cause != null) {
				return CompletableFuture.<@Nullable Object>failedFuture(cause);
			}
			Optional<Object> value = checked(Optional.of(stored), type, redisKey);
			if (value.isEmpty()) {
				// another type under the key: the method's result replaces it
				CompletableFuture<?> loading = valueLoader.get();
				return loading.thenCompose((loaded) -> writeAsync(redisKey, loaded).thenApply((ok) -> (@Nullable Object) loaded));
			}
			if (count) {
				(ran.get() ? this.misses : this.hits).increment();
			}
			if (ran.get()) {
				this.puts.increment();
			}
			return CompletableFuture.completedFuture(fromStoreValue(value.get()));
		}).thenCompose((stage) -> stage);
	}

	@Override
	protected Object toStoreValue(@Nullable Object userValue) {
		Object value = super.toStoreValue(userValue);
		return (this.textNullMarker && value == NullValue.INSTANCE) ? TEXT_NULL_MARKER : value;
	}

	/**
	 * Stores {@code value}; a {@code null} in a cache that does not cache nulls evicts the key
	 * instead, so that a stale value cannot outlive the method's answer.
	 */
	@Override
	public void put(Object key, @Nullable Object value) {
		write(redisKey(key), value);
	}

	private void write(String redisKey, @Nullable Object value) {
		if (value == null && !isAllowNullValues()) {
			this.store.delete(redisKey);
			return;
		}
		this.store.set(redisKey, toStoreValue(value), this.configuration.getTtl());
		this.puts.increment();
	}

	private CompletableFuture<Boolean> writeAsync(String redisKey, @Nullable Object value) {
		if (value == null && !isAllowNullValues()) {
			return this.store.async().delete(redisKey);
		}
		this.puts.increment();
		return this.store.async().set(redisKey, toStoreValue(value), this.configuration.getTtl());
	}

	/** Atomic: one SET NX. */
	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		String redisKey = redisKey(key);
		if (value == null && !isAllowNullValues()) {
			return get(key);
		}
		if (this.store.add(redisKey, toStoreValue(value), this.configuration.getTtl())) {
			this.puts.increment();
			return null;
		}
		return get(key);
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean removed = this.store.delete(redisKey(key));
		if (removed) {
			this.evictions.increment();
		}
		return removed;
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		long removed = this.store.invalidatePattern(KeyPatterns.escape(this.keyPrefix) + "*");
		this.evictions.add(removed);
		return removed > 0;
	}

	/**
	 * Hits since start.
	 * @return the hit count
	 */
	public long getHitCount() {
		return this.hits.sum();
	}

	/**
	 * Misses since start.
	 * @return the miss count
	 */
	public long getMissCount() {
		return this.misses.sum();
	}

	/**
	 * Puts since start.
	 * @return the put count
	 */
	public long getPutCount() {
		return this.puts.sum();
	}

	/**
	 * Entries evicted through this cache since start.
	 * @return the eviction count
	 */
	public long getEvictionCount() {
		return this.evictions.sum();
	}

	String redisKey(Object key) {
		return this.keyPrefix + CacheKeys.toKeyString(key);
	}

	@Override
	public String toString() {
		return "CacheKitCache[" + this.name + ", " + this.configuration + "]";
	}

	/**
	 * The counters of this cache's stampede protection (the store's loading layer).
	 * @return its counters, or {@code null} when the cache has none
	 */
	public @Nullable LoadingStats getLoadingStats() {
		return this.loading;
	}

	/**
	 * The counters of this cache's own near cache ({@code app.cache.caches.<name>.near-cache.*}):
	 * its reads answered locally, those sent to Redis, invalidations, flushes. A cache on the
	 * backend's near cache shares that one's counters with every other such cache, so they are not
	 * this cache's and are not answered here.
	 * @return its counters, or {@code null} when the cache has no near cache of its own
	 */
	public @Nullable NearCacheStats getNearCacheStats() {
		return this.nearCache;
	}

	/** A loader's own exception, carried through the store's {@code getOrLoad} to its callers. */
	private static final class LoaderFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		LoaderFailure(Throwable cause) {
			super(null, cause, false, false);
		}

	}

	/** A loader answered {@code null} in a cache that does not store it: nothing is stored. */
	private static final class NullResult extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NullResult() {
			super(null, null, false, false);
		}

	}

	/** {@link #forValueType(Class)}: reads checked against one type, everything else delegated. */
	private static final class TypedView implements Cache {

		private final CacheKitCache cache;

		private final Class<?> type;

		TypedView(CacheKitCache cache, Class<?> type) {
			this.cache = cache;
			this.type = type;
		}

		@Override
		public String getName() {
			return this.cache.getName();
		}

		@Override
		public Object getNativeCache() {
			return this.cache.getNativeCache();
		}

		@Override
		public @Nullable ValueWrapper get(Object key) {
			return this.cache.toValueWrapper(this.cache.lookup(key, this.type));
		}

		@Override
		public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
			return this.cache.get(key, type);
		}

		@Override
		public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
			return this.cache.get(key, valueLoader, this.type);
		}

		@Override
		public @Nullable CompletableFuture<?> retrieve(Object key) {
			return this.cache.retrieve(key, this.type);
		}

		@Override
		public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
			return this.cache.retrieve(key, valueLoader, this.type);
		}

		@Override
		public void put(Object key, @Nullable Object value) {
			this.cache.put(key, value);
		}

		@Override
		public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
			return this.cache.putIfAbsent(key, value);
		}

		@Override
		public void evict(Object key) {
			this.cache.evict(key);
		}

		@Override
		public boolean evictIfPresent(Object key) {
			return this.cache.evictIfPresent(key);
		}

		@Override
		public void clear() {
			this.cache.clear();
		}

		@Override
		public boolean invalidate() {
			return this.cache.invalidate();
		}

		@Override
		public String toString() {
			return this.cache + " reading " + this.type.getName();
		}

	}

}
