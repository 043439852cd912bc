package io.cachekit.spring;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.TtlFunction;
import io.cachekit.core.serialization.Compression;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;

	/**
 * Immutable settings of one bridge cache; every change answers a new instance.
 */
public final class CacheKitCacheConfiguration {

	/**
	 * The version {@link #withVersion(String)} reads as "the fingerprint of the value type's JSON
	 * shape" ({@link io.cachekit.core.serialization.JsonShape}): it changes when a property is
	 * added, removed, renamed or changes its type.
	 */
	public static final String AUTO_VERSION = "auto";

	private final @Nullable Duration ttl;

	private final boolean cacheNullValues;

	private final @Nullable Class<?> valueType;

	private final @Nullable LoadingSettings loading;

	private final boolean ownNearCache;

	private final @Nullable NearCache nearCache;

	private final @Nullable String version;

	private final boolean tags;

	private final @Nullable TtlFunction ttlFunction;

	private final Compression compression;

	private CacheKitCacheConfiguration(Parts parts) {
		this.ttl = parts.ttl;
		this.cacheNullValues = parts.cacheNullValues;
		this.valueType = parts.valueType;
		this.loading = parts.loading;
		this.ownNearCache = parts.ownNearCache;
		this.nearCache = parts.nearCache;
		this.version = parts.version;
		this.tags = parts.tags;
		this.ttlFunction = parts.ttlFunction;
		this.compression = parts.compression;
	}

	/** The settings of a new instance: these, changed by one {@code with} method. */
	private static final class Parts {

		@Nullable Duration ttl;

		boolean cacheNullValues = true;

		@Nullable Class<?> valueType;

		@Nullable LoadingSettings loading;

		boolean ownNearCache;

		@Nullable NearCache nearCache;

		@Nullable String version;

		boolean tags;

		@Nullable TtlFunction ttlFunction;

		Compression compression = Compression.none();

	}

	private Parts parts() {
		Parts parts = new Parts();
		parts.ttl = this.ttl;
		parts.cacheNullValues = this.cacheNullValues;
		parts.valueType = this.valueType;
		parts.loading = this.loading;
		parts.ownNearCache = this.ownNearCache;
		parts.nearCache = this.nearCache;
		parts.version = this.version;
		parts.tags = this.tags;
		parts.ttlFunction = this.ttlFunction;
		parts.compression = this.compression;
		return parts;
	}

	/**
	 * The backend's default TTL, caching {@code null} values, values of any type.
	 * @return the default configuration
	 */
	public static CacheKitCacheConfiguration defaults() {
		return new CacheKitCacheConfiguration(new Parts());
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
		Parts parts = parts();
		parts.ttl = ttl;
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * Whether {@code null} results are cached (through a marker).
	 * @param cacheNullValues whether to cache {@code null}
	 * @return a copy with that setting
	 */
	public CacheKitCacheConfiguration withCacheNullValues(boolean cacheNullValues) {
		Parts parts = parts();
		parts.cacheNullValues = cacheNullValues;
		return new CacheKitCacheConfiguration(parts);
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
		Parts parts = parts();
		parts.valueType = valueType;
		return new CacheKitCacheConfiguration(parts);
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
		Parts parts = parts();
		parts.loading = loading;
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * The cache has a near cache of its own with {@code settings} ({@code null}: none), instead of
	 * the backend's. Needs a {@code RedisCacheBackend} under the manager.
	 * @param settings the cache's near cache settings, or {@code null} for no near cache
	 * @return a copy with its own near cache
	 */
	public CacheKitCacheConfiguration withNearCache(@Nullable NearCache settings) {
		Parts parts = parts();
		parts.ownNearCache = true;
		parts.nearCache = settings;
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * The cache's keys carry {@code version} (1 to 64 letters, digits, {@code . _ -}), so
	 * instances with different versions of the cache read and write disjoint entries;
	 * {@link #AUTO_VERSION} for the fingerprint of the value type's JSON shape (needs a value
	 * type); {@code null}: no version (keys as before). The keys of the cache's other versions are
	 * removed by their TTL, or on request by {@link CacheKitCacheManager#sweepOtherVersions(String)}.
	 * @param version the version, {@link #AUTO_VERSION}, or {@code null} for none
	 * @return a copy with that version
	 * @throws IllegalArgumentException when the version is not well formed
	 */
	public CacheKitCacheConfiguration withVersion(@Nullable String version) {
		Parts parts = parts();
		parts.version = CacheVersions.check(version);
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * The cache's version as set.
	 * @return the version, {@link #AUTO_VERSION}, or {@code null} for none
	 */
	public @Nullable String getVersion() {
		return this.version;
	}

	/**
	 * These settings with entries that may carry tags ({@code @CacheTags}, {@code set} with tags):
	 * the cache's loading layer checks each tagged entry's tag versions on every read (no extra
	 * round trip once its tags were seen) and reads entries in Redis, past a near cache. Off by
	 * default.
	 * @param tags whether entries may carry tags
	 * @return new settings
	 */
	public CacheKitCacheConfiguration withTags(boolean tags) {
		Parts parts = parts();
		parts.tags = tags;
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * Whether entries may carry tags.
	 * @return whether tags are on
	 */
	public boolean isTags() {
		return this.tags;
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
		Parts parts = parts();
		parts.ttlFunction = ttlFunction;
		return new CacheKitCacheConfiguration(parts);
	}

	/**
	 * The cache's values are compressed with {@code compression} (its algorithm's library on the
	 * class path); compressed and plain values are read side by side. Needs a layered backend
	 * (the serializer is chosen per cache).
	 * @param compression the compression settings ({@link Compression#none()}: none)
	 * @return a copy with that compression
	 */
	public CacheKitCacheConfiguration withCompression(Compression compression) {
		Parts parts = parts();
		parts.compression = Objects.requireNonNull(compression, "compression must not be null");
		return new CacheKitCacheConfiguration(parts);
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
				+ ((this.version != null) ? ", version=" + this.version : "") + (this.tags ? ", tags=true" : "")
				+ ((this.ttlFunction != null) ? ", ttlFunction=" + this.ttlFunction : "")
				+ ((this.compression.equals(Compression.none())) ? "" : ", " + this.compression) + "]";
	}

}
