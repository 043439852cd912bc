package io.cachekit.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.AbstractTransactionSupportingCacheManager;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.redis.RedisCacheBackend;

/**
 * A Spring {@link org.springframework.cache.CacheManager} whose caches live in a
 * {@link RedisCacheBackend} (or any other {@link CacheBackend}): the same connection, prefix and
 * failure policy as the injected {@code CacheBackend}. Caches configured up front exist from the start; others are created on
 * first use unless dynamic creation is off. Transaction-aware decoration is available through
 * {@link #setTransactionAware(boolean)}.
 */
public class CacheKitCacheManager extends AbstractTransactionSupportingCacheManager {

	private final CacheBackend<Object> store;

	private final CacheKitCacheConfiguration defaults;

	private final Map<String, CacheKitCacheConfiguration> initialCaches;

	private final boolean allowDynamicCaches;

	private final FailureMode failureMode;

	private final boolean textNullMarker;

	/** Views of the backend with another serializer, for caches of one value type; none for plain backends. */
	private final @Nullable Function<CacheSerializer<Object>, ? extends CacheBackend<Object>> views;

	private final List<Consumer<CacheKitCache>> creationListeners = new ArrayList<>();

	/** The backend, for caches with a loading layer or a near cache of their own; {@code null} for other backends. */
	private @Nullable RedisCacheBackend<?> redisBackend;

	private @Nullable CacheSerializer<Object> serializer;

	private volatile @Nullable BiFunction<CacheBackend<Object>, String, CacheBackend<Object>> storeDecorator;

	private final Map<String, NearCacheLayer> nearCacheLayers = new ConcurrentHashMap<>();

	/**
	 * A manager over a {@code RedisCacheBackend}: each cache gets a view of it with
	 * {@code serializer} (or, for a cache with a value type, plain JSON of that type).
	 * @param backend where entries live
	 * @param serializer value serializer for the caches' entries
	 * @param defaults settings of caches without their own
	 * @param initialCaches caches to create up front, with their settings
	 * @param allowDynamicCaches whether other names create a cache on first use
	 */
	public CacheKitCacheManager(RedisCacheBackend<?> backend, CacheSerializer<Object> serializer,
			CacheKitCacheConfiguration defaults, Map<String, CacheKitCacheConfiguration> initialCaches,
			boolean allowDynamicCaches) {
		this(Objects.requireNonNull(backend, "backend must not be null")::withSerializer, backend.getFailureMode(),
				serializer, defaults, initialCaches, allowDynamicCaches);
		this.redisBackend = backend;
		this.serializer = serializer;
	}

	/**
	 * A manager over any CacheKit backend that offers views with another serializer (such as the
	 * in-memory backend of {@code cache-test}).
	 * @param views a view of the backend with the given serializer, for example
	 *     {@code backend::withSerializer}
	 * @param failureMode what a stored value of the wrong type means for a {@code @Cacheable}
	 *     method: a miss ({@code FAIL_OPEN}) or a {@code CacheException} ({@code FAIL_FAST})
	 * @param serializer value serializer for the caches' entries
	 * @param defaults settings of caches without their own
	 * @param initialCaches caches to create up front, with their settings
	 * @param allowDynamicCaches whether other names create a cache on first use
	 */
	public CacheKitCacheManager(Function<CacheSerializer<Object>, ? extends CacheBackend<Object>> views,
			FailureMode failureMode, CacheSerializer<Object> serializer, CacheKitCacheConfiguration defaults,
			Map<String, CacheKitCacheConfiguration> initialCaches, boolean allowDynamicCaches) {
		Objects.requireNonNull(views, "views must not be null");
		Objects.requireNonNull(serializer, "serializer must not be null");
		this.store = views.apply(new NullValueSerializer(serializer));
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
		this.initialCaches = new LinkedHashMap<>(initialCaches);
		this.allowDynamicCaches = allowDynamicCaches;
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		this.textNullMarker = false;
		this.views = views;
	}

	/**
	 * A manager on any {@link CacheBackend}, such as a decorator of your own around a
	 * {@code RedisCacheBackend}: entries go through that backend and its serializer as they are,
	 * and a cached {@code null} is stored as a string marker (so the serializer must write
	 * strings).
	 * @param backend where entries live
	 * @param failureMode what a stored value of the wrong type means for a {@code @Cacheable}
	 *     method: a miss ({@code FAIL_OPEN}) or a {@code CacheException} ({@code FAIL_FAST})
	 * @param defaults settings of caches without their own
	 * @param initialCaches caches to create up front, with their settings
	 * @param allowDynamicCaches whether other names create a cache on first use
	 */
	public CacheKitCacheManager(CacheBackend<Object> backend, FailureMode failureMode,
			CacheKitCacheConfiguration defaults, Map<String, CacheKitCacheConfiguration> initialCaches,
			boolean allowDynamicCaches) {
		this.store = Objects.requireNonNull(backend, "backend must not be null");
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
		this.initialCaches = new LinkedHashMap<>(initialCaches);
		this.allowDynamicCaches = allowDynamicCaches;
		this.textNullMarker = true;
		this.views = null;
		this.initialCaches.forEach((name, configuration) -> {
			if (configuration.hasOwnNearCache()) {
				throw new IllegalArgumentException("cache '" + name + "' has near cache settings of its own, which need a"
						+ " RedisCacheBackend, but the backend is a " + backend.getClass().getName());
			}
			if (configuration.getValueType() != null) {
				throw new IllegalArgumentException("cache '" + name + "' has a value type, which needs a RedisCacheBackend"
						+ " (its serializer is chosen per cache), but the backend is a " + backend.getClass().getName());
			}
		});
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
	 * Registers a callback told about each cache this manager creates (up front or on first use),
	 * for example to bind its metrics.
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
		BiFunction<CacheBackend<Object>, String, CacheBackend<Object>> decorator = this.storeDecorator;
		LoadingLayer loading = null;
		CacheBackend<Object> store;
		if (configuration.getLoading() != null) {
			loading = LoadingLayer.of(configuration.getLoading());
			store = loadingStoreFor(name, configuration, loading);
		}
		else if (configuration.hasOwnNearCache()) {
			store = nearStoreFor(name, configuration);
		}
		else {
			store = storeFor(configuration);
		}
		if (decorator != null) {
			store = decorator.apply(store, name);
		}
		NearCacheLayer near = configuration.hasOwnNearCache() ? this.nearCacheLayers.get(name) : null;
		return new CacheKitCache(name, store, configuration, this.failureMode, this.textNullMarker,
				(loading != null) ? loading.getStats() : null, (near != null) ? near.stats() : null);
	}

	/** A view of the backend with the cache's serializer and {@code loading} over the backend's own layers. */
	private CacheBackend<Object> loadingStoreFor(String name, CacheKitCacheConfiguration configuration,
			LoadingLayer loading) {
		RedisCacheBackend<?> backend = this.redisBackend;
		CacheSerializer<Object> serializer = this.serializer;
		if (backend == null || serializer == null) {
			throw new IllegalStateException("cache '" + name + "' has stampede protection (a loading layer), which needs"
					+ " a CacheKitCacheManager over a RedisCacheBackend");
		}
		Class<?> valueType = configuration.getValueType();
		CacheSerializer<Object> values = (valueType != null) ? new TypedJsonSerializer<>(valueType) : serializer;
		List<CacheLayer> layers = layersOf(name, configuration, backend);
		layers.add(loading);
		return backend.withSerializer(new NullValueSerializer(values), layers);
	}

	private CacheBackend<Object> storeFor(CacheKitCacheConfiguration configuration) {
		Class<?> valueType = configuration.getValueType();
		if (valueType == null || this.views == null) {
			return this.store;
		}
		return this.views.apply(new NullValueSerializer(new TypedJsonSerializer<>(valueType)));
	}

	/** A view with the backend's layers, its near cache replaced by the cache's own (or none). */
	private CacheBackend<Object> nearStoreFor(String name, CacheKitCacheConfiguration configuration) {
		RedisCacheBackend<?> redis = this.redisBackend;
		CacheSerializer<Object> base = this.serializer;
		if (redis == null || base == null) {
			throw new IllegalArgumentException("cache '" + name + "' has near cache settings of its own, which need a"
					+ " RedisCacheBackend under the cache manager");
		}
		List<CacheLayer> layers = layersOf(name, configuration, redis);
		Class<?> valueType = configuration.getValueType();
		CacheSerializer<Object> serializer = (valueType != null)
				? new NullValueSerializer(new TypedJsonSerializer<>(valueType)) : new NullValueSerializer(base);
		return redis.withSerializer(serializer, layers);
	}

	/** The backend's layers, its near cache replaced by the cache's own (or none) when it has one. */
	private List<CacheLayer> layersOf(String name, CacheKitCacheConfiguration configuration, RedisCacheBackend<?> redis) {
		if (!configuration.hasOwnNearCache()) {
			return new ArrayList<>(redis.getLayers());
		}
		List<CacheLayer> layers = new ArrayList<>();
		for (CacheLayer layer : redis.getLayers()) {
			if (!(layer instanceof NearCacheLayer)) {
				layers.add(layer);
			}
		}
		NearCache settings = configuration.getNearCache();
		if (settings != null) {
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
	 * @return the backend, or {@code null} for a manager over another {@link CacheBackend}
	 */
	public @Nullable RedisCacheBackend<?> getRedisBackend() {
		return this.redisBackend;
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

}
