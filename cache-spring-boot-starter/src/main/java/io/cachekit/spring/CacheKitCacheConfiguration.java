package io.cachekit.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.TtlFunction;
import io.cachekit.core.serialization.Compression;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;

/**
 * Immutable settings of one bridge cache; every change answers a new instance.
 */
public final class CacheKitCacheConfiguration {

	private final @Nullable Duration ttl;

	private final boolean cacheNullValues;

	private final @Nullable Class<?> valueType;

	private final @Nullable LoadingSettings loading;

	private final boolean ownNearCache;

	private final @Nullable NearCache nearCache;

	private final @Nullable TtlFunction ttlFunction;

	private final Compression compression;

	private CacheKitCacheConfiguration(@Nullable Duration ttl, boolean cacheNullValues, @Nullable Class<?> valueType) {
		this(ttl, cacheNullValues, valueType, null, false, null);
	}

	private CacheKitCacheConfiguration(@Nullable Duration ttl, boolean cacheNullValues, @Nullable Class<?> valueType,
			@Nullable LoadingSettings loading, boolean ownNearCache, @Nullable NearCache nearCache) {
		this(ttl, cacheNullValues, valueType, loading, ownNearCache, nearCache, null, Compression.none());
	}

	private CacheKitCacheConfiguration(@Nullable Duration ttl, boolean cacheNullValues, @Nullable Class<?> valueType,
			@Nullable LoadingSettings loading, boolean ownNearCache, @Nullable NearCache nearCache,
			@Nullable TtlFunction ttlFunction, Compression compression) {
		this.ttlFunction = ttlFunction;
		this.compression = compression;
		this.ttl = ttl;
		this.cacheNullValues = cacheNullValues;
		this.valueType = valueType;
		this.loading = loading;
		this.ownNearCache = ownNearCache;
		this.nearCache = nearCache;
	}

	/**
	 * The backend's default TTL, caching {@code null} values, values of any type.
	 * @return the default configuration
	 */
	public static CacheKitCacheConfiguration defaults() {
		return new CacheKitCacheConfiguration(null, true, null);
	}

	/**
	 * Entries live for {@code ttl} ({@code ZERO}: no expiry; {@code null}: the backend's default).
	 * @param ttl the TTL; {@code null}: the backend's default, {@code ZERO}: no expiry
	 * @return a copy with that TTL
	 * @throws IllegalArgumentException when negative
	 */
	public CacheKitCacheConfiguration withEntryTtl(@Nullable Duration ttl) {
		if (ttl != null && ttl.isNegative()) {
			throw new IllegalArgumentException("ttl must not be negative but was " + ttl);
		}
		return new CacheKitCacheConfiguration(ttl, this.cacheNullValues, this.valueType, this.loading, this.ownNearCache,
				this.nearCache, this.ttlFunction, this.compression);
	}

	/**
	 * Whether {@code null} results are cached (through a marker).
	 * @param cacheNullValues whether to cache {@code null}
	 * @return a copy with that setting
	 */
	public CacheKitCacheConfiguration withCacheNullValues(boolean cacheNullValues) {
		return new CacheKitCacheConfiguration(this.ttl, cacheNullValues, this.valueType, this.loading, this.ownNearCache,
				this.nearCache, this.ttlFunction, this.compression);
	}

	/**
	 * The cache holds values of {@code valueType} only ({@code null}: values of any type): they are
	 * stored as plain JSON of that type, with no type metadata (like
	 * {@code CacheSerializers.json(valueType)}), and read back only as that type. Writing a value
	 * of another type is a {@code CacheSerializationException}.
	 * @param valueType the class of every value, or {@code null} for any type
	 * @return a copy with that value type
	 */
	public CacheKitCacheConfiguration withValueType(@Nullable Class<?> valueType) {
		return new CacheKitCacheConfiguration(this.ttl, this.cacheNullValues, valueType, this.loading, this.ownNearCache,
				this.nearCache, this.ttlFunction, this.compression);
	}

	/**
	 * The cache loads through a {@link io.cachekit.loading.LoadingLayer} with {@code loading}
	 * (stampede protection: one load per key across instances, and what the settings add), over
	 * the backend's own layers; {@code null}: no loading layer (loads are coalesced per JVM only).
	 * Needs a {@code RedisCacheBackend} (the layer is part of the cache's view of it).
	 * @param loading the loading layer's settings, or {@code null} for none
	 * @return a copy with that setting
	 */
	public CacheKitCacheConfiguration withLoading(@Nullable LoadingSettings loading) {
		return new CacheKitCacheConfiguration(this.ttl, this.cacheNullValues, this.valueType, loading, this.ownNearCache,
				this.nearCache, this.ttlFunction, this.compression);
	}

	/**
	 * The cache has a near cache of its own with {@code settings} ({@code null}: none), instead of
	 * the backend's. Needs a {@code RedisCacheBackend} under the manager.
	 * @param settings the cache's near cache settings, or {@code null} for no near cache
	 * @return a copy with its own near cache
	 */
	public CacheKitCacheConfiguration withNearCache(@Nullable NearCache settings) {
		return new CacheKitCacheConfiguration(this.ttl, this.cacheNullValues, this.valueType, this.loading, true, settings,
				this.ttlFunction, this.compression);
	}

	/**
	 * The TTL of each entry written without one comes from {@code ttlFunction}, asked with the
	 * entry's key within the cache (the cache key's text, without the cache name) and its value;
	 * when it answers {@code null}, the cache's TTL ({@link #withEntryTtl}) or else the backend's
	 * default. A cached {@code null} gets that fallback without asking. {@code null}: no function.
	 * @param ttlFunction the TTL of an entry from its key and value, or {@code null}
	 * @return a copy with that function
	 */
	public CacheKitCacheConfiguration withTtlFunction(@Nullable TtlFunction ttlFunction) {
		return new CacheKitCacheConfiguration(this.ttl, this.cacheNullValues, this.valueType, this.loading, this.ownNearCache,
				this.nearCache, ttlFunction, this.compression);
	}

	/**
	 * The cache's values are compressed with {@code compression} (its algorithm's library on the
	 * class path); compressed and plain values are read side by side. Needs a layered backend
	 * (the serializer is chosen per cache).
	 * @param compression the compression settings ({@link Compression#none()}: none)
	 * @return a copy with that compression
	 */
	public CacheKitCacheConfiguration withCompression(Compression compression) {
		return new CacheKitCacheConfiguration(this.ttl, this.cacheNullValues, this.valueType, this.loading, this.ownNearCache,
				this.nearCache, this.ttlFunction, java.util.Objects.requireNonNull(compression, "compression must not be null"));
	}

	/**
	 * The function answering the TTL of each entry written without one.
	 * @return the function, or {@code null} for none
	 */
	public @Nullable TtlFunction getTtlFunction() {
		return this.ttlFunction;
	}

	/**
	 * The compression of the cache's values.
	 * @return the compression settings
	 */
	public Compression getCompression() {
		return this.compression;
	}

	/** The TTL the cache's writes pass: none when a function answers it (its fallback is in the function's layer). */
	@Nullable Duration writeTtl() {
		return (this.ttlFunction != null) ? null : this.ttl;
	}

	/**
	 * Whether the cache chose its own near cache (or none) instead of the backend's.
	 * @return {@code true} after {@link #withNearCache(NearCache)}
	 */
	public boolean hasOwnNearCache() {
		return this.ownNearCache;
	}

	/**
	 * The cache's own near cache settings.
	 * @return the settings, or {@code null} for none or the backend's (see {@link #hasOwnNearCache()})
	 */
	public @Nullable NearCache getNearCache() {
		return this.nearCache;
	}

	/**
	 * The settings of the cache's loading layer.
	 * @return the settings, or {@code null} when the cache has no loading layer
	 */
	public @Nullable LoadingSettings getLoading() {
		return this.loading;
	}

	/**
	 * The class of every value of the cache.
	 * @return the value type, or {@code null} for any type
	 */
	public @Nullable Class<?> getValueType() {
		return this.valueType;
	}

	/**
	 * The TTL of the cache's entries.
	 * @return the TTL, or {@code null} for the backend's default
	 */
	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	/**
	 * Whether {@code null} results are cached.
	 * @return {@code true} if they are
	 */
	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	@Override
	public String toString() {
		return "CacheKitCacheConfiguration[ttl=" + ((this.ttl != null) ? this.ttl : "default") + ", cacheNullValues="
				+ this.cacheNullValues + ((this.valueType != null) ? ", valueType=" + this.valueType.getName() : "")
				+ ((this.loading != null) ? ", loading=" + this.loading : "")
				+ (this.ownNearCache ? ", nearCache=" + this.nearCache : "")
				+ ((this.ttlFunction != null) ? ", ttlFunction=" + this.ttlFunction : "")
				+ ((this.compression.equals(Compression.none())) ? "" : ", " + this.compression) + "]";
	}

}
