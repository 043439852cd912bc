package io.cachekit.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.AbstractTransactionSupportingCacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.TtlFunction;
import io.cachekit.core.layer.BackendLevel;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.LayeredCacheBackend;
import io.cachekit.core.layer.TtlFunctionLayer;
import io.cachekit.core.serialization.Compression;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.near.Tracking;

/**
 * A Spring {@link org.springframework.cache.CacheManager} whose caches live in a CacheKit
 * {@link CacheBackend}: the same connection, prefix and failure policy. Built with
 * {@link #builder(CacheBackend)}. Over a {@link LayeredCacheBackend} (Redis, the in-memory one of
 * {@code cache-test}) each cache gets a view of it with the manager's serializer (or, for a cache
 * with a value type, plain JSON of that type), its near cache and its loading layer; any other
 * backend (a decorator of the application's own) is used as it is, a cached {@code null} stored as
 * a string marker. Every cache's store ends with a loading layer, which coalesces loads per key in
 * this JVM (and does what the cache's loading settings add). Caches configured up front exist from
 * the start; others are created on first use unless dynamic creation is off. Transaction-aware
 * decoration is available through {@link #setTransactionAware(boolean)}.
 */
public class CacheKitCacheManager extends AbstractTransactionSupportingCacheManager {

	private final CacheBackend<?> backend;

	private final @Nullable LayeredCacheBackend<?> layered;

	private final CacheSerializer<Object> serializer;

	private final FailureMode failureMode;

	private final CacheKitCacheConfiguration defaults;

	private final Map<String, CacheKitCacheConfiguration> initialCaches;

	private final boolean allowDynamicCaches;

	private final List<Consumer<CacheKitCache>> creationListeners = new ArrayList<>();

	private volatile @Nullable BiFunction<CacheBackend<Object>, String, CacheBackend<Object>> storeDecorator;

	private final Map<String, NearCacheLayer> nearCacheLayers = new ConcurrentHashMap<>();

	private CacheKitCacheManager(Builder builder) {
		this.backend = builder.backend;
		this.layered = (builder.backend instanceof LayeredCacheBackend<?> stack) ? stack : null;
		this.serializer = builder.serializer;
		this.failureMode = (this.layered != null) ? this.layered.getFailureMode() : builder.failureMode;
		this.defaults = builder.defaults;
		this.initialCaches = new LinkedHashMap<>(builder.initialCaches);
		this.allowDynamicCaches = builder.allowDynamicCaches;
		if (this.layered == null) {
			this.initialCaches.forEach((name, configuration) -> checkPlain(name, configuration));
		}
	}

	/**
	 * Starts building a manager whose caches live in {@code backend}.
	 * @param backend where entries live
	 * @return a builder
	 */
	public static Builder builder(CacheBackend<?> backend) {
		return new Builder(Objects.requireNonNull(backend, "backend must not be null"));
	}

	private void checkPlain(String name, CacheKitCacheConfiguration configuration) {
		String backendType = this.backend.getClass().getName();
		if (configuration.hasOwnNearCache()) {
			throw new IllegalArgumentException("cache '" + name + "' has near cache settings of its own, which need a"
					+ " layered backend (such as RedisCacheBackend), but the backend is a " + backendType);
		}
		if (configuration.getValueType() != null) {
			throw new IllegalArgumentException("cache '" + name + "' has a value type, which needs a layered backend"
					+ " (its serializer is chosen per cache), but the backend is a " + backendType);
		}
		if (!configuration.getCompression().equals(Compression.none())) {
			throw new IllegalArgumentException("cache '" + name + "' compresses its values, which needs a layered backend"
					+ " (its serializer is chosen per cache), but the backend is a " + backendType);
		}
	}

	/**
	 * Wraps the store of each cache created from now on (set it before the caches are loaded, as a
	 * {@code CacheManagerCustomizer} does): called with the store and the cache name, for example
	 * to observe every operation of that cache under its name. {@code null}: stores as they are.
	 * @param decorator wraps a cache's store, given the store and the cache name
	 */
	public void setStoreDecorator(@Nullable BiFunction<CacheBackend<Object>, String, CacheBackend<Object>> decorator) {
		this.storeDecorator = decorator;
	}

	/**
	 * Registers a callback told about each cache this manager creates on first use, for example
	 * to bind its metrics.
	 * @param listener told about each cache created
	 */
	public void onCacheCreated(Consumer<CacheKitCache> listener) {
		synchronized (this.creationListeners) {
			this.creationListeners.add(listener);
		}
	}

	@Override
	protected Collection<? extends Cache> loadCaches() {
		List<Cache> caches = new ArrayList<>();
		this.initialCaches.forEach((name, configuration) -> caches.add(createCache(name, configuration)));
		return caches;
	}

	@Override
	protected @Nullable Cache getMissingCache(String name) {
		if (!this.allowDynamicCaches) {
			return null;
		}
		CacheKitCache cache = createCache(name, this.initialCaches.getOrDefault(name, this.defaults));
		List<Consumer<CacheKitCache>> listeners;
		synchronized (this.creationListeners) {
			listeners = List.copyOf(this.creationListeners);
		}
		listeners.forEach((listener) -> listener.accept(cache));
		return cache;
	}

	/**
	 * Creates the cache object for {@code name}; override to customize.
	 * @param name the cache's name
	 * @param configuration its settings
	 * @return the cache
	 */
	protected CacheKitCache createCache(String name, CacheKitCacheConfiguration configuration) {
		LoadingLayer loading = loadingLayer(configuration);
		CacheBackend<Object> store = storeFor(name, configuration, loading);
		BiFunction<CacheBackend<Object>, String, CacheBackend<Object>> decorator = this.storeDecorator;
		if (decorator != null) {
			store = decorator.apply(store, name);
		}
		NearCacheLayer near = configuration.hasOwnNearCache() ? this.nearCacheLayers.get(name) : null;
		return new CacheKitCache(name, store, configuration, StoredValues.of(this.failureMode, this.layered == null),
				new CacheCounters(), (configuration.getLoading() != null) ? loading.getStats() : null,
				(near != null) ? near.stats() : null);
	}

	/** The cache's loading layer: its stampede protection, or coalescing alone; with tags when its entries carry them. */
	private static LoadingLayer loadingLayer(CacheKitCacheConfiguration configuration) {
		LoadingSettings settings = configuration.getLoading();
		if (settings != null) {
			return LoadingLayer.of(configuration.isTags() ? settings.withTags(true) : settings);
		}
		return configuration.isTags() ? LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true))
				: LoadingLayer.coalescing();
	}

	/** The cache's view of the backend: its serializer, its near cache, {@code loading} on top. */
	@SuppressWarnings("unchecked")
	private CacheBackend<Object> storeFor(String name, CacheKitCacheConfiguration configuration, LoadingLayer loading) {
		LayeredCacheBackend<?> stack = this.layered;
		TtlFunctionLayer ttl = ttlLayer(name, configuration);
		if (stack == null) {
			checkPlain(name, configuration);
			return BackendLevel.stack((CacheBackend<Object>) this.backend, this.failureMode,
					(ttl != null) ? List.of(ttl, loading) : List.of(loading));
		}
		Class<?> valueType = configuration.getValueType();
		CacheSerializer<Object> values = (valueType != null) ? new TypedJsonSerializer<>(valueType) : this.serializer;
		values = configuration.getCompression().wrap(values);
		List<CacheLayer> layers = layersOf(name, configuration, stack);
		if (ttl != null) {
			// the cache's function instead of the backend's, lowest (where the builder puts one)
			layers.removeIf(TtlFunctionLayer.class::isInstance);
			layers.add(0, ttl);
		}
		layers.add(loading);
		return stack.withSerializer(new NullValueSerializer(values), layers);
	}

	/** The layer of the cache's TTL function, asked with keys within the cache; {@code null} when it has none. */
	private static @Nullable TtlFunctionLayer ttlLayer(String name, CacheKitCacheConfiguration configuration) {
		TtlFunction function = configuration.getTtlFunction();
		return (function != null)
				? TtlFunctionLayer.of(new CacheTtlFunction(CacheKeyspace.of(name, CacheVersions.resolve(configuration)), function,
						configuration.getTtl())) : null;
	}

	/**
	 * The backend's layers, its near cache replaced by the cache's own (or none) when it has
	 * one; an engine without Redis client tracking (the in-memory one) gets no near cache of the
	 * cache's own: its entries are in memory already.
	 */
	private List<CacheLayer> layersOf(String name, CacheKitCacheConfiguration configuration,
			LayeredCacheBackend<?> stack) {
		if (!configuration.hasOwnNearCache()) {
			return new ArrayList<>(stack.getLayers());
		}
		List<CacheLayer> layers = new ArrayList<>();
		for (CacheLayer layer : stack.getLayers()) {
			if (!(layer instanceof NearCacheLayer)) {
				layers.add(layer);
			}
		}
		NearCache settings = configuration.getNearCache();
		if (settings != null && stack.offers(Tracking.class)) {
			NearCacheLayer own = settings.layer();
			// lowest, right over the engine, where the backend's own near cache goes
			layers.add(0, own);
			this.nearCacheLayers.put(name, own);
		}
		return layers;
	}

	/**
	 * The near caches of caches that have their own, by cache name (for metrics and health).
	 * @return the layers, live
	 */
	public Map<String, NearCacheLayer> getNearCacheLayers() {
		return Collections.unmodifiableMap(this.nearCacheLayers);
	}

	/**
	 * The backend the caches live in, for telling which backend's health shows their near caches.
	 * @return the backend
	 */
	public CacheBackend<?> getBackend() {
		return this.backend;
	}

	/**
	 * The settings of caches without their own.
	 * @return the default configuration
	 */
	public CacheKitCacheConfiguration getDefaults() {
		return this.defaults;
	}

	/**
	 * Whether unlisted cache names create a cache on first use.
	 * @return {@code true} if they do
	 */
	public boolean isAllowDynamicCaches() {
		return this.allowDynamicCaches;
	}

	/**
	 * Removes the entries of the other versions of the cache named {@code name} (SCAN and UNLINK
	 * in pages on every master, inside the backend's prefix): keys whose version is not the
	 * cache's current one. Its current version's keys, its unversioned keys, and every other
	 * cache's and prefix's keys stay. Safe while instances of other versions still serve: they
	 * read misses and write their entries again (removed by their TTL, or by a later sweep).
	 * Blocks until the keyspace was walked, which takes as long as SCAN needs for its size.
	 * @param name the cache's name
	 * @return how many keys were removed (0 when the cache has no version)
	 * @throws IllegalArgumentException when no such cache exists (and none can be created)
	 * @throws UnsupportedOperationException when the backend cannot sweep (it is not layered, or
	 *     its engine offers no sweep)
	 * @throws io.cachekit.core.CacheException when Redis did not answer
	 */
	public long sweepOtherVersions(String name) {
		CacheKitCache cache = kitCache(name);
		CacheKeyspace keyspace = cache.keyspace();
		if (keyspace.version() == null) {
			return 0;
		}
		LayeredCacheBackend<?> stack = this.layered;
		if (stack == null) {
			throw new UnsupportedOperationException("sweeping needs a layered backend (such as RedisCacheBackend), but"
					+ " the backend is a " + this.backend.getClass().getName());
		}
		try {
			return stack.sweep(keyspace.allVersions(), keyspace::isOtherVersion).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * {@link #sweepOtherVersions(String)} for each cache of this manager that has a version.
	 * @return how many keys were removed, by cache name
	 */
	public Map<String, Long> sweepOtherVersions() {
		Map<String, Long> removed = new LinkedHashMap<>();
		for (String name : getCacheNames()) {
			if (kitCache(name).getVersion() != null) {
				removed.put(name, sweepOtherVersions(name));
			}
		}
		return removed;
	}

	/**
	 * The versions of this manager's caches that have one (created ones only), by cache name.
	 * @return the versions, a copy
	 */
	public Map<String, String> getCacheVersions() {
		Map<String, String> versions = new LinkedHashMap<>();
		for (String name : getCacheNames()) {
			Cache cache = lookupCache(name);
			if (cache instanceof TransactionAwareCacheDecorator decorator) {
				cache = decorator.getTargetCache();
			}
			if (cache instanceof CacheKitCache kit && kit.getVersion() != null) {
				versions.put(name, kit.getVersion());
			}
		}
		return versions;
	}

	private CacheKitCache kitCache(String name) {
		Cache cache = getCache(name);
		if (cache instanceof TransactionAwareCacheDecorator decorator) {
			cache = decorator.getTargetCache();
		}
		if (cache instanceof CacheKitCache kit) {
			return kit;
		}
		throw new IllegalArgumentException("no cache named '" + name + "'");
	}

	/** Builds a {@link CacheKitCacheManager}; every setting but the backend has a default. */
	public static final class Builder {

		private final CacheBackend<?> backend;

		private CacheSerializer<Object> serializer = CacheSerializers.json();

		private FailureMode failureMode = FailureMode.FAIL_OPEN;

		private CacheKitCacheConfiguration defaults = CacheKitCacheConfiguration.defaults();

		private Map<String, CacheKitCacheConfiguration> initialCaches = Map.of();

		private boolean allowDynamicCaches = true;

		private boolean transactionAware;

		private Builder(CacheBackend<?> backend) {
			this.backend = backend;
		}

		/**
		 * The serializer of the caches' entries in a layered backend (default: JSON of any JDK
		 * value type); a cache with a value type uses plain JSON of that type. Another backend
		 * keeps its own serializer.
		 * @param serializer the value serializer
		 * @return this builder
		 */
		public Builder serializer(CacheSerializer<Object> serializer) {
			this.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
			return this;
		}

		/**
		 * For a backend that is not layered (a layered one says its own): what a stored value of
		 * the wrong type means for a {@code @Cacheable} method, a miss ({@code FAIL_OPEN}, the
		 * default) or a {@code CacheException} ({@code FAIL_FAST}).
		 * @param failureMode the failure mode
		 * @return this builder
		 */
		public Builder failureMode(FailureMode failureMode) {
			this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
			return this;
		}

		/**
		 * The settings of caches without their own.
		 * @param defaults the default configuration
		 * @return this builder
		 */
		public Builder defaults(CacheKitCacheConfiguration defaults) {
			this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
			return this;
		}

		/**
		 * Caches to create up front, with their settings.
		 * @param initialCaches the caches by name
		 * @return this builder
		 */
		public Builder initialCaches(Map<String, CacheKitCacheConfiguration> initialCaches) {
			this.initialCaches = new LinkedHashMap<>(initialCaches);
			return this;
		}

		/**
		 * Whether other names create a cache on first use (default {@code true}).
		 * @param allowDynamicCaches whether they do
		 * @return this builder
		 */
		public Builder allowDynamicCaches(boolean allowDynamicCaches) {
			this.allowDynamicCaches = allowDynamicCaches;
			return this;
		}

		/**
		 * Whether the caches write only after a transaction commits (default {@code false}).
		 * @param transactionAware whether they do
		 * @return this builder
		 */
		public Builder transactionAware(boolean transactionAware) {
			this.transactionAware = transactionAware;
			return this;
		}

		/**
		 * Builds the manager.
		 * @return a new manager
		 * @throws IllegalArgumentException when a cache's settings need a layered backend and the backend is not one
		 */
		public CacheKitCacheManager build() {
			CacheKitCacheManager manager = new CacheKitCacheManager(this);
			manager.setTransactionAware(this.transactionAware);
			return manager;
		}

	}

}
