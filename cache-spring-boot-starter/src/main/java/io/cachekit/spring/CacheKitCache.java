package io.cachekit.spring;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.util.ClassUtils;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.loading.LoadingStats;
import io.cachekit.near.NearCacheStats;

/**
 * One named Spring {@link org.springframework.cache.Cache} on a CacheKit backend: Spring's face
 * of a store, nothing more. Entries live under {@code prefix + name + "::" + key}
 * ({@link CacheKeyspace}); eviction, {@code clear()} and {@code invalidate()} never reach outside
 * that namespace. Loads are the store's {@code getOrLoad}, whose loading layer runs one load per
 * key at a time in this JVM; a caller that shares another's load counts as a hit. Failures follow
 * the backend's failure mode: in fail-open a Redis outage makes the cache a pass-through.
 */
public class CacheKitCache extends AbstractValueAdaptingCache {

	private final String name;

	private final CacheKeyspace keys;

	private final CacheBackend<Object> store;

	private final CacheKitCacheConfiguration configuration;

	private final StoredValues values;

	private final CacheCounters counters;

	private final @Nullable LoadingStats loading;

	private final @Nullable NearCacheStats nearCache;

	private final LoadThrough loads;

	private final Map<Class<?>, CacheKitCache> typed = new ConcurrentHashMap<>();

	/**
	 * A cache on {@code store}: a backend view with a loading layer on top, whose serializer
	 * handles Spring's {@code NullValue} unless {@code values} store it as text.
	 * @param counters its counters (shared with its typed views)
	 * @param loading the counters of the cache's stampede protection, or {@code null} when it has none
	 * @param nearCache the counters of the cache's own near cache, or {@code null} when it has none
	 */
	CacheKitCache(String name, CacheBackend<Object> store, CacheKitCacheConfiguration configuration, StoredValues values,
			CacheCounters counters, @Nullable LoadingStats loading, @Nullable NearCacheStats nearCache) {
		super(configuration.isCacheNullValues());
		this.name = name;
		this.keys = CacheKeyspace.of(name, CacheVersions.resolve(configuration));
		this.store = store;
		this.configuration = configuration;
		this.values = values;
		this.counters = counters;
		this.loading = loading;
		this.nearCache = nearCache;
		this.loads = new LoadThrough(name, store, values, counters, configuration.writeTtl(), isAllowNullValues(),
				this::tags);
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
	 * This cache for callers that expect values of {@code type} (a {@code @Cacheable} method's
	 * return type): a stored value of another type is a miss in fail-open mode, so the method runs
	 * and its result replaces the entry, and a {@link CacheException} with
	 * {@link ErrorCode#SERIALIZATION} in fail-fast mode. Cached {@code null}s always match.
	 * Writes, evictions and statistics are this cache's.
	 * @param type the class values must have
	 * @return this cache, reading values of {@code type}
	 */
	public Cache forValueType(Class<?> type) {
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		return (boxed == Object.class || boxed == this.values.type()) ? this
				: this.typed.computeIfAbsent(boxed, (t) -> new CacheKitCache(this.name, this.store, this.configuration,
						this.values.expecting(t), this.counters, this.loading, this.nearCache));
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		String storeKey = this.keys.key(key);
		Optional<Object> value = this.values.fromStore(this.store.get(storeKey), this.name, storeKey);
		this.counters.read(value.isPresent());
		return value.orElse(null);
	}

	/** For {@code @Cacheable(sync = true)}: the store's {@code getOrLoad}, the loader on this thread. */
	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.loads.get(key, this.keys.key(key), valueLoader);
	}

	/** Non-blocking lookup for {@code @Cacheable} methods returning {@code CompletableFuture}. */
	@Override
	public CompletableFuture<?> retrieve(Object key) {
		String storeKey = this.keys.key(key);
		return this.store.async().get(storeKey).thenApply((stored) -> {
			Optional<Object> value = this.values.fromStore(stored, this.name, storeKey);
			this.counters.read(value.isPresent());
			if (value.isEmpty()) {
				return null;
			}
			return isAllowNullValues() ? toValueWrapper(value.get()) : fromStoreValue(value.get());
		});
	}

	/**
	 * For {@code @Cacheable(sync = true)} on methods returning {@code CompletableFuture} or a
	 * Reactor {@code Mono}/{@code Flux}: the store's non-blocking {@code getOrLoad}. Nothing
	 * blocks: a caller that arrives while a load runs is handed a future of its result.
	 */
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.loads.retrieve(this.keys.key(key), valueLoader);
	}

	/**
	 * The values of several keys (bulk caching: {@code @BulkCacheable}): one read of them all, one
	 * call of {@code loader} with the keys missing, one write of what it loaded, under the same
	 * Redis keys as {@link #get(Object)} and {@link #put(Object, Object)} use, so each key is also a
	 * hit for a single lookup and the reverse. The store's {@code getAllOrLoad}: its loading layer
	 * loads each key once at a time in this JVM, a key another caller is loading is waited for.
	 * A key the loader leaves out (or maps to {@code null}) is cached as {@code null} when the
	 * cache caches nulls. A value {@code cacheable} refuses is answered to this caller but not
	 * stored. A stored value of another type than this reader expects ({@link #forValueType}) is
	 * loaded again (one more call of {@code loader}, for those keys) and replaced in fail-open
	 * mode. The loader runs on the calling thread; what it throws propagates as it is.
	 * @param keys the cache keys
	 * @param loader answers the values of the keys it is given
	 * @param cacheable whether a loaded value ({@code null} for one left out) of a key is stored
	 * @return in key order, each key with a value: its wrapper ({@code null} inside for a cached or
	 *     loaded {@code null} when the cache caches nulls); keys without one are left out
	 */
	public Map<Object, ValueWrapper> getAll(Collection<?> keys, Function<Set<Object>, ? extends @Nullable Map<?, ?>> loader,
			BiPredicate<Object, @Nullable Object> cacheable) {
		return new BulkLookup(this.name, this.keys, this.store, this.values, this.counters, this.configuration.writeTtl(),
				isAllowNullValues()).getAll(keys, loader, cacheable);
	}

	/**
	 * Stores {@code value}; a {@code null} in a cache that does not cache nulls evicts the key
	 * instead, so that a stale value cannot outlive the method's answer.
	 */
	@Override
	public void put(Object key, @Nullable Object value) {
		this.loads.put(this.keys.key(key), value);
	}

	/** Atomic: one SET NX. */
	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		return this.loads.putIfAbsent(this.keys.key(key), value) ? null : get(key);
	}

	/** The tags of the cached method writing now ({@link CacheTags}); none outside one. */
	private List<String> tags() {
		return CurrentTags.forCache(this.name, this.configuration.isTags());
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		boolean removed = this.store.delete(this.keys.key(key));
		if (removed) {
			this.counters.evicted(1);
		}
		return removed;
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		long removed = this.store.invalidatePattern(this.keys.everything());
		this.counters.evicted(removed);
		return removed > 0;
	}

	/**
	 * The version this cache's keys carry: its configured one, or for {@code auto} the
	 * fingerprint of its value type's JSON shape.
	 * @return the version, or {@code null} when the cache has none
	 */
	public @Nullable String getVersion() {
		return this.keys.version();
	}

	/** Where this cache's entries live (for the manager's sweep of its other versions). */
	CacheKeyspace keyspace() {
		return this.keys;
	}

	/** @return the hits since start */
	public long getHitCount() {
		return this.counters.hits();
	}

	/** @return the misses since start */
	public long getMissCount() {
		return this.counters.misses();
	}

	/** @return the puts since start */
	public long getPutCount() {
		return this.counters.puts();
	}

	/** @return the entries evicted through this cache since start */
	public long getEvictionCount() {
		return this.counters.evictions();
	}

	/**
	 * The counters of this cache's stampede protection (its loading settings).
	 * @return its counters, or {@code null} when the cache has none
	 */
	public @Nullable LoadingStats getLoadingStats() {
		return this.loading;
	}

	/**
	 * The counters of this cache's own near cache ({@code app.cache.caches.<name>.near-cache.*});
	 * the backend's near cache is shared by many caches, so its counters are not answered here.
	 * @return its counters, or {@code null} when the cache has no near cache of its own
	 */
	public @Nullable NearCacheStats getNearCacheStats() {
		return this.nearCache;
	}

	@Override
	public String toString() {
		Class<?> type = this.values.type();
		return "CacheKitCache[" + this.name + ", " + this.configuration + "]"
				+ ((type != null) ? " reading " + type.getName() : "");
	}

}
