package io.cachekit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.cachekit.core.CacheDefaults;
import io.cachekit.core.FailureMode;
import io.cachekit.loading.LoadingSettings;
import io.lettuce.core.SslVerifyMode;

/**
 * Configuration properties for CacheKit. The defaults are {@link CacheDefaults}'s, the same the
 * {@code RedisCacheBackend} builder has; the configuration metadata lists them too
 * ({@code META-INF/additional-spring-configuration-metadata.json}, checked against
 * {@link CacheDefaults} by a test).
 */
@ConfigurationProperties("app.cache")
public class CacheKitProperties {

	/**
	 * Whether to auto-configure the CacheKit backend and cache manager.
	 */
	private boolean enabled = true;

	/**
	 * Redis URL: redis://[user:password@]host:port/database, rediss:// for TLS,
	 * redis-socket:///path, redis-sentinel://host:port,host:port/database#master, or several
	 * comma-separated host:port pairs for a cluster. A service connection (Testcontainers
	 * @ServiceConnection, Docker Compose, a DataRedisConnectionDetails bean) wins over it. When
	 * not set, the connection Spring Boot derives from spring.data.redis.* is used, and without
	 * one redis://localhost:6379/0.
	 */
	private @Nullable String redisUrl;

	/**
	 * Serializer for cached values.
	 */
	private Serializer serializer = Serializer.JSON;

	/**
	 * Prefix of every key CacheKit writes; clear and pattern invalidation never leave it.
	 */
	private String prefix = CacheDefaults.PREFIX;

	/**
	 * Time to live of entries written without one. 0 means no expiry.
	 */
	private Duration defaultTtl = CacheDefaults.TTL;

	/**
	 * What a Redis outage does to callers: fail-open answers misses and false, fail-fast throws
	 * CacheException.
	 */
	private FailureMode failureMode = CacheDefaults.FAILURE_MODE;

	/**
	 * Longest one Redis command may take before it counts as failed.
	 */
	private Duration timeout = CacheDefaults.COMMAND_TIMEOUT;

	/**
	 * Longest establishing a connection to Redis may take.
	 */
	private Duration connectTimeout = CacheDefaults.CONNECT_TIMEOUT;

	/**
	 * Longest shutdown waits for cache calls still in flight.
	 */
	private Duration shutdownTimeout = CacheDefaults.SHUTDOWN_TIMEOUT;

	/**
	 * Whether stored values that cannot be read back are deleted when read (fail-open only).
	 */
	private boolean deleteUnreadableEntries = CacheDefaults.DELETE_UNREADABLE_ENTRIES;

	/**
	 * Shortest interval between two WARN log lines for the same kind of failure.
	 */
	private Duration failureLogInterval = CacheDefaults.FAILURE_LOG_INTERVAL;

	/**
	 * Whether caches not listed under app.cache.caches are created on first use.
	 */
	private boolean dynamicCaches = true;

	/**
	 * Whether caches store null results, for caches that do not set it themselves.
	 */
	private boolean cacheNullValues = true;

	/**
	 * Whether cache puts and evictions wait for the surrounding transaction to commit.
	 */
	private boolean transactionAware = false;

	/**
	 * Settings of named caches used through Spring's cache abstraction, by cache name: ttl,
	 * cache-null-values, value-type, version (written into the cache's keys; 'auto' for a
	 * fingerprint of the value type's JSON shape), loading.*, and near-cache.enabled, near-cache.max-entries,
	 * near-cache.max-local-ttl, near-cache.copy-on-read, near-cache.tracking, near-cache.outage-mode
	 * and near-cache.heartbeat (a near cache of the cache's own; unset values come from
	 * app.cache.near-cache.*); compression.algorithm, compression.threshold and
	 * compression.max-decompressed-size (unset values come from app.cache.compression.*);
	 * ttl-function, the name of a TtlFunction bean answering the TTL of each entry from its key and
	 * value.
	 */
	private Map<String, CacheSpec> caches = new LinkedHashMap<>();

	private final Json json = new Json();

	private final RedisOptions redisOptions = new RedisOptions();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	private final Observations observations = new Observations();

	/** Near cache (in-process L1 kept correct by Redis client tracking) settings. */
	private final NearCacheOptions nearCache = new NearCacheOptions();

	/**
	 * Near cache settings.
	 * @return the settings
	 */
	public NearCacheOptions getNearCache() {
		return this.nearCache;
	}

	/** Tags: entries carrying tags that one write invalidates (@CacheTags, @EvictTags). */
	private final TagsOptions tags = new TagsOptions();

	/**
	 * Tag settings.
	 * @return the settings
	 */
	public TagsOptions getTags() {
		return this.tags;
	}

	/**
	 * Whether to auto-configure the CacheKit backend and cache manager.
	 * @return the configured value
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Whether to auto-configure the CacheKit backend and cache manager.
	 * @param enabled the new value
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Redis URL.
	 * @return the configured value
	 */
	public @Nullable String getRedisUrl() {
		return this.redisUrl;
	}

	/**
	 * Redis URL.
	 * @param redisUrl the new value
	 */
	public void setRedisUrl(@Nullable String redisUrl) {
		this.redisUrl = redisUrl;
	}

	/**
	 * Serializer for cached values.
	 * @return the configured value
	 */
	public Serializer getSerializer() {
		return this.serializer;
	}

	/**
	 * Serializer for cached values.
	 * @param serializer the new value
	 */
	public void setSerializer(Serializer serializer) {
		this.serializer = serializer;
	}

	/**
	 * Prefix of every key CacheKit writes; clear and pattern invalidation never leave it.
	 * @return the configured value
	 */
	public String getPrefix() {
		return this.prefix;
	}

	/**
	 * Prefix of every key CacheKit writes; clear and pattern invalidation never leave it.
	 * @param prefix the new value
	 */
	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * Time to live of entries written without one.
	 * @return the configured value
	 */
	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * Time to live of entries written without one.
	 * @param defaultTtl the new value
	 */
	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	/**
	 * What a Redis outage does to callers.
	 * @return the configured value
	 */
	public FailureMode getFailureMode() {
		return this.failureMode;
	}

	/**
	 * What a Redis outage does to callers.
	 * @param failureMode the new value
	 */
	public void setFailureMode(FailureMode failureMode) {
		this.failureMode = failureMode;
	}

	/**
	 * Longest one Redis command may take before it counts as failed.
	 * @return the configured value
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Longest one Redis command may take before it counts as failed.
	 * @param timeout the new value
	 */
	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Longest establishing a connection to Redis may take.
	 * @return the configured value
	 */
	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * Longest establishing a connection to Redis may take.
	 * @param connectTimeout the new value
	 */
	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	/**
	 * Longest shutdown waits for cache calls still in flight.
	 * @return the configured value
	 */
	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Longest shutdown waits for cache calls still in flight.
	 * @param shutdownTimeout the new value
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Whether stored values that cannot be read back are deleted when read (fail-open only).
	 * @return the configured value
	 */
	public boolean isDeleteUnreadableEntries() {
		return this.deleteUnreadableEntries;
	}

	/**
	 * Whether stored values that cannot be read back are deleted when read (fail-open only).
	 * @param deleteUnreadableEntries the new value
	 */
	public void setDeleteUnreadableEntries(boolean deleteUnreadableEntries) {
		this.deleteUnreadableEntries = deleteUnreadableEntries;
	}

	/**
	 * Shortest interval between two WARN log lines for the same kind of failure.
	 * @return the configured value
	 */
	public Duration getFailureLogInterval() {
		return this.failureLogInterval;
	}

	/**
	 * Shortest interval between two WARN log lines for the same kind of failure.
	 * @param failureLogInterval the new value
	 */
	public void setFailureLogInterval(Duration failureLogInterval) {
		this.failureLogInterval = failureLogInterval;
	}

	/**
	 * Whether caches not listed under app.cache.caches are created on first use.
	 * @return the configured value
	 */
	public boolean isDynamicCaches() {
		return this.dynamicCaches;
	}

	/**
	 * Whether caches not listed under app.cache.caches are created on first use.
	 * @param dynamicCaches the new value
	 */
	public void setDynamicCaches(boolean dynamicCaches) {
		this.dynamicCaches = dynamicCaches;
	}

	/**
	 * Whether caches store null results, for caches that do not set it themselves.
	 * @return the configured value
	 */
	public boolean isCacheNullValues() {
		return this.cacheNullValues;
	}

	/**
	 * Whether caches store null results, for caches that do not set it themselves.
	 * @param cacheNullValues the new value
	 */
	public void setCacheNullValues(boolean cacheNullValues) {
		this.cacheNullValues = cacheNullValues;
	}

	/**
	 * Whether cache puts and evictions wait for the surrounding transaction to commit.
	 * @return the configured value
	 */
	public boolean isTransactionAware() {
		return this.transactionAware;
	}

	/**
	 * Whether cache puts and evictions wait for the surrounding transaction to commit.
	 * @param transactionAware the new value
	 */
	public void setTransactionAware(boolean transactionAware) {
		this.transactionAware = transactionAware;
	}

	/**
	 * Settings of named caches used through Spring's cache abstraction, by cache name.
	 * @return the configured value
	 */
	public Map<String, CacheSpec> getCaches() {
		return this.caches;
	}

	/**
	 * Settings of named caches used through Spring's cache abstraction, by cache name.
	 * @param caches the new value
	 */
	public void setCaches(Map<String, CacheSpec> caches) {
		this.caches = caches;
	}

	/**
	 * The {@code json} settings.
	 * @return the configured value
	 */
	public Json getJson() {
		return this.json;
	}

	/**
	 * The {@code redisOptions} settings.
	 * @return the configured value
	 */
	public RedisOptions getRedisOptions() {
		return this.redisOptions;
	}

	/**
	 * The {@code circuitBreaker} settings.
	 * @return the configured value
	 */
	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/** The shipped value serializers. */
	public enum Serializer {

		/** JSON through Jackson 3, recording each value's type; reads back only trusted packages. */
		JSON,

		/** Java serialization, reading only allowed packages (opt-in). */
		JDK,

		/** UTF-8 strings only. */
		STRING,

		/** Raw byte arrays only. */
		BYTES

	}

	/**
	 * Micrometer Observation settings.
	 * @return the settings
	 */
	public Observations getObservations() {
		return this.observations;
	}

	/** Micrometer Observation settings (used when the application has an ObservationRegistry). */
	public static class Observations {

		/**
		 * Whether cache operations are observed (one observation per operation, and Redis command
		 * spans from Lettuce on client resources the starter creates).
		 */
		private boolean enabled = true;

		/**
		 * Whether observations record the cache key (the cache.key span attribute). Off by
		 * default: keys may hold personal data, and traces are often kept longer than the cache.
		 */
		private boolean includeKeys = false;

		/**
		 * Whether Redis commands are traced by Lettuce (MicrometerTracing) when the starter creates
		 * the client resources. Client resources of the application are used as they are.
		 */
		private boolean redisCommands = true;

		/**
		 * Tells whether cache operations are observed.
		 * @return whether cache operations are observed
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether cache operations are observed.
		 * @param enabled whether cache operations are observed
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Tells whether observations record the cache key.
		 * @return whether observations record the cache key
		 */
		public boolean isIncludeKeys() {
			return this.includeKeys;
		}

		/**
		 * Sets whether observations record the cache key.
		 * @param includeKeys whether observations record the cache key
		 */
		public void setIncludeKeys(boolean includeKeys) {
			this.includeKeys = includeKeys;
		}

		/**
		 * Tells whether Redis commands are traced by Lettuce.
		 * @return whether Redis commands are traced by Lettuce
		 */
		public boolean isRedisCommands() {
			return this.redisCommands;
		}

		/**
		 * Sets whether Redis commands are traced by Lettuce.
		 * @param redisCommands whether Redis commands are traced by Lettuce
		 */
		public void setRedisCommands(boolean redisCommands) {
			this.redisCommands = redisCommands;
		}

	}

	/** Settings of one named cache. */
	public static class CacheSpec {

		/**
		 * Time to live of this cache's entries. 0 means no expiry; unset means app.cache.default-ttl.
		 */
		private @Nullable Duration ttl;

		/**
		 * Whether this cache stores null results; unset means app.cache.cache-null-values.
		 */
		private @Nullable Boolean cacheNullValues;

		/**
		 * Class of every value this cache holds, such as com.example.Product: values are stored as
		 * plain JSON of that class, without type metadata, and read back only as that class. Unset
		 * means values of any type, stored with their type recorded and read back only from
		 * trusted packages (app.cache.json.trusted-packages).
		 */
		private @Nullable Class<?> valueType;

		/**
		 * Class of every value this cache holds, such as com.example.Product.
		 * @return the configured value
		 */
		public @Nullable Class<?> getValueType() {
			return this.valueType;
		}

		/**
		 * Class of every value this cache holds, such as com.example.Product.
		 * @param valueType the new value
		 */
		public void setValueType(@Nullable Class<?> valueType) {
			this.valueType = valueType;
		}

		/**
		 * Time to live of this cache's entries.
		 * @return the configured value
		 */
		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		/**
		 * Time to live of this cache's entries.
		 * @param ttl the new value
		 */
		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		/**
		 * Whether this cache stores null results; unset means app.cache.cache-null-values.
		 * @return the configured value
		 */
		public @Nullable Boolean getCacheNullValues() {
			return this.cacheNullValues;
		}

		/**
		 * Whether this cache stores null results; unset means app.cache.cache-null-values.
		 * @param cacheNullValues the new value
		 */
		public void setCacheNullValues(@Nullable Boolean cacheNullValues) {
			this.cacheNullValues = cacheNullValues;
		}

		/**
		 * Version of this cache's entries, written into its keys: instances with different
		 * versions read and write disjoint entries (a rolling deploy of a changed value class).
		 * 1 to 64 letters, digits, '.', '_' or '-', or 'auto' for a fingerprint of the value
		 * type's JSON shape (needs value-type). Unset means no version.
		 */
		private @Nullable String version;

		/**
		 * Version of this cache's entries, written into its keys.
		 * @return the configured value
		 */
		public @Nullable String getVersion() {
			return this.version;
		}

		/**
		 * Version of this cache's entries, written into its keys.
		 * @param version the new value
		 */
		public void setVersion(@Nullable String version) {
			this.version = version;
		}

		/** Near cache settings of this cache; each unset value is app.cache.near-cache's. */
		private final NearCacheOptions nearCache = new NearCacheOptions();

		/** Stampede protection of this cache; each unset value is app.cache.loading's. */
		private final Loading loading = new Loading();

		/**
		 * Near cache settings of this cache.
		 * @return the settings
		 */
		public NearCacheOptions getNearCache() {
			return this.nearCache;
		}

		/**
		 * Name of a TtlFunction bean answering the TTL of each of this cache's entries from its key
		 * and value (its null answer: this cache's ttl, else app.cache.default-ttl).
		 */
		private @Nullable String ttlFunction;

		/** Compression of this cache's values; each unset value is app.cache.compression's. */
		private final CompressionOptions compression = new CompressionOptions();

		/**
		 * Name of a TtlFunction bean answering the TTL of each of this cache's entries.
		 * @return the configured value
		 */
		public @Nullable String getTtlFunction() {
			return this.ttlFunction;
		}

		/**
		 * Name of a TtlFunction bean answering the TTL of each of this cache's entries.
		 * @param ttlFunction the new value
		 */
		public void setTtlFunction(@Nullable String ttlFunction) {
			this.ttlFunction = ttlFunction;
		}

		/**
		 * Compression of this cache's values.
		 * @return the settings
		 */
		public CompressionOptions getCompression() {
			return this.compression;
		}

		/**
		 * Stampede protection of this cache.
		 * @return the settings
		 */
		public Loading getLoading() {
			return this.loading;
		}

		/** Tag settings of this cache; an unset value is app.cache.tags'. */
		private final TagsOptions tags = new TagsOptions();

		/**
		 * Tag settings of this cache.
		 * @return the settings
		 */
		public TagsOptions getTags() {
			return this.tags;
		}

	}

	/**
	 * Near cache settings: an in-process L1 in front of Redis, invalidated by Redis client
	 * tracking. The backend's ({@code app.cache.near-cache.*}) and a cache's own
	 * ({@code app.cache.caches.<name>.near-cache.*}, unset values the backend's).
	 */
	public static class NearCacheOptions extends Overridable<NearCacheOptions> {

		/** Whether every cache of the backend gets a near cache (a single server, Sentinel or a Redis Cluster). */
		private boolean enabled = false;

		/** Maximum number of entries of one near cache. */
		private long maxEntries = io.cachekit.near.NearCache.DEFAULT_MAX_ENTRIES;

		/** Longest an entry is kept locally; never longer than its remaining TTL in Redis. */
		private Duration maxLocalTtl = io.cachekit.near.NearCache.DEFAULT_MAX_LOCAL_TTL;

		/** How Redis tracks keys for invalidation: default (keys read) or broadcast (every key under the prefix). */
		private io.cachekit.near.TrackingMode tracking = io.cachekit.near.TrackingMode.DEFAULT;

		/** Whether hits decode the stored bytes, so callers may mutate what they get. */
		private boolean copyOnRead = false;

		/** What is served while the connection to Redis is down: flush (nothing) or serve-within-local-ttl. */
		private io.cachekit.near.OutageMode outageMode = io.cachekit.near.OutageMode.FLUSH;

		/**
		 * Interval at which every connection entries were read on is proven alive and in step while a
		 * near cache is registered, even when every read is a local hit. A connection that stops
		 * answering is suspect (flushed in flush mode) within this interval plus the command timeout.
		 * The backend uses the shortest of its near caches'.
		 */
		private Duration heartbeat = io.cachekit.near.NearCache.DEFAULT_HEARTBEAT;

		/**
		 * Whether every cache of the backend gets a near cache.
		 * @return the configured value
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Whether every cache of the backend gets a near cache.
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			mark("enabled");
			this.enabled = enabled;
		}

		/**
		 * Maximum number of entries of one near cache.
		 * @return the configured value
		 */
		public long getMaxEntries() {
			return this.maxEntries;
		}

		/**
		 * Maximum number of entries of one near cache.
		 * @param maxEntries the new value
		 */
		public void setMaxEntries(long maxEntries) {
			mark("maxEntries");
			this.maxEntries = maxEntries;
		}

		/**
		 * Longest an entry is kept locally.
		 * @return the configured value
		 */
		public Duration getMaxLocalTtl() {
			return this.maxLocalTtl;
		}

		/**
		 * Longest an entry is kept locally.
		 * @param maxLocalTtl the new value
		 */
		public void setMaxLocalTtl(Duration maxLocalTtl) {
			mark("maxLocalTtl");
			this.maxLocalTtl = maxLocalTtl;
		}

		/**
		 * How Redis tracks keys for invalidation.
		 * @return the configured value
		 */
		public io.cachekit.near.TrackingMode getTracking() {
			return this.tracking;
		}

		/**
		 * How Redis tracks keys for invalidation.
		 * @param tracking the new value
		 */
		public void setTracking(io.cachekit.near.TrackingMode tracking) {
			mark("tracking");
			this.tracking = tracking;
		}

		/**
		 * Whether hits decode the stored bytes.
		 * @return the configured value
		 */
		public boolean isCopyOnRead() {
			return this.copyOnRead;
		}

		/**
		 * Whether hits decode the stored bytes.
		 * @param copyOnRead the new value
		 */
		public void setCopyOnRead(boolean copyOnRead) {
			mark("copyOnRead");
			this.copyOnRead = copyOnRead;
		}

		/**
		 * What is served while the connection to Redis is down.
		 * @return the configured value
		 */
		public io.cachekit.near.OutageMode getOutageMode() {
			return this.outageMode;
		}

		/**
		 * What is served while the connection to Redis is down.
		 * @param outageMode the new value
		 */
		public void setOutageMode(io.cachekit.near.OutageMode outageMode) {
			mark("outageMode");
			this.outageMode = outageMode;
		}

		/**
		 * Interval of the heartbeat that proves connections alive while a near cache is registered.
		 * @return the configured value
		 */
		public Duration getHeartbeat() {
			return this.heartbeat;
		}

		/**
		 * Interval of the heartbeat that proves connections alive while a near cache is registered.
		 * @param heartbeat the new value
		 */
		public void setHeartbeat(Duration heartbeat) {
			mark("heartbeat");
			this.heartbeat = heartbeat;
		}

		/**
		 * The near cache these settings describe over {@code parent}'s (each unset value the
		 * parent's), or {@code null} when it is off.
		 * @param parent app.cache.near-cache, or {@code null} for app.cache.near-cache itself
		 * @param property where these settings are bound (app.cache.near-cache or
		 *     app.cache.caches.NAME.near-cache), named by the exception for a bad value
		 * @return the near cache's settings, or {@code null}
		 * @throws InvalidCacheKitConfigurationException naming the property of a bad value
		 */
		public io.cachekit.near.@Nullable NearCache resolve(@Nullable NearCacheOptions parent, String property) {
			if (!over(parent, "enabled", this.enabled, NearCacheOptions::isEnabled)) {
				return null;
			}
			long entries = over(parent, "maxEntries", this.maxEntries, NearCacheOptions::getMaxEntries);
			Duration localTtl = over(parent, "maxLocalTtl", this.maxLocalTtl, NearCacheOptions::getMaxLocalTtl);
			io.cachekit.near.NearCache sized = CacheKitAutoConfiguration.check(property + ".max-entries",
					() -> io.cachekit.near.NearCache.defaults().withMaxEntries(entries));
			Duration every = over(parent, "heartbeat", this.heartbeat, NearCacheOptions::getHeartbeat);
			io.cachekit.near.NearCache capped = CacheKitAutoConfiguration.check(property + ".max-local-ttl",
					() -> sized.withMaxLocalTtl(localTtl));
			return CacheKitAutoConfiguration.check(property + ".heartbeat", () -> capped.withHeartbeat(every))
				.withCopyOnRead(over(parent, "copyOnRead", this.copyOnRead, NearCacheOptions::isCopyOnRead))
				.withTracking(over(parent, "tracking", this.tracking, NearCacheOptions::getTracking))
				.withOutageMode(over(parent, "outageMode", this.outageMode, NearCacheOptions::getOutageMode));
		}

	}


	/** Compression of stored values (LZ4 or zstd), for the backend and every cache that does not set its own. */
	private final CompressionOptions compression = new CompressionOptions();

	/**
	 * Compression of stored values.
	 * @return the settings
	 */
	public CompressionOptions getCompression() {
		return this.compression;
	}

	/**
	 * The {@code TtlFunction} of the backend and of every cache that does not name its own: the one
	 * bean no {@code app.cache.caches.<name>.ttl-function} names, or the primary one among several.
	 * @param beans the application's beans
	 * @return the function, or {@code null} when there is none
	 * @throws InvalidCacheKitConfigurationException when a cache names a missing bean, or several are candidates and none is primary
	 */
	public io.cachekit.core.@Nullable TtlFunction backendTtlFunction(
			org.springframework.beans.factory.ListableBeanFactory beans) {
		return TtlFunctions.backendFunction(beans, this);
	}

	/**
	 * Compression of stored values: the backend's ({@code app.cache.compression.*}) and a cache's own
	 * ({@code app.cache.caches.<name>.compression.*}, unset values the backend's). The defaults are
	 * {@link io.cachekit.core.serialization.Compression}'s.
	 */
	public static class CompressionOptions extends Overridable<CompressionOptions> {

		/**
		 * Compression of stored values: none, lz4 (needs at.yawk.lz4:lz4-java) or zstd (needs
		 * com.github.luben:zstd-jni). Compressed and plain values are read side by side.
		 */
		private io.cachekit.core.serialization.CompressionAlgorithm algorithm = io.cachekit.core.serialization.CompressionAlgorithm.NONE;

		/** Size of a serialized value below which it is stored as it is. */
		private org.springframework.util.unit.DataSize threshold = org.springframework.util.unit.DataSize.ofBytes(io.cachekit.core.serialization.Compression.DEFAULT_THRESHOLD);

		/**
		 * Most a stored value may inflate to when read; a value over it is a miss (unreadable), and
		 * larger values are stored uncompressed.
		 */
		private org.springframework.util.unit.DataSize maxDecompressedSize = org.springframework.util.unit.DataSize.ofBytes(io.cachekit.core.serialization.Compression.DEFAULT_MAX_DECOMPRESSED_SIZE);

		/**
		 * Compression of stored values: none, lz4 or zstd.
		 * @return the configured value
		 */
		public io.cachekit.core.serialization.CompressionAlgorithm getAlgorithm() {
			return this.algorithm;
		}

		/**
		 * Compression of stored values: none, lz4 or zstd.
		 * @param algorithm the new value
		 */
		public void setAlgorithm(io.cachekit.core.serialization.CompressionAlgorithm algorithm) {
			mark("algorithm");
			this.algorithm = algorithm;
		}

		/**
		 * Size of a serialized value below which it is stored as it is.
		 * @return the configured value
		 */
		public org.springframework.util.unit.DataSize getThreshold() {
			return this.threshold;
		}

		/**
		 * Size of a serialized value below which it is stored as it is.
		 * @param threshold the new value
		 */
		public void setThreshold(org.springframework.util.unit.DataSize threshold) {
			mark("threshold");
			this.threshold = threshold;
		}

		/**
		 * Most a stored value may inflate to when read.
		 * @return the configured value
		 */
		public org.springframework.util.unit.DataSize getMaxDecompressedSize() {
			return this.maxDecompressedSize;
		}

		/**
		 * Most a stored value may inflate to when read.
		 * @param maxDecompressedSize the new value
		 */
		public void setMaxDecompressedSize(org.springframework.util.unit.DataSize maxDecompressedSize) {
			mark("maxDecompressedSize");
			this.maxDecompressedSize = maxDecompressedSize;
		}

		/**
		 * The compression these settings describe over {@code parent}'s (each unset value the parent's),
		 * its algorithm's library checked.
		 * @param parent app.cache.compression, or {@code null} for app.cache.compression itself
		 * @param property where these settings are bound (app.cache.compression or
		 *     app.cache.caches.NAME.compression), named by the exception for a bad value
		 * @return the compression settings
		 * @throws InvalidCacheKitConfigurationException naming the property of a bad value or a missing library
		 */
		public io.cachekit.core.serialization.Compression resolve(@Nullable CompressionOptions parent, String property) {
			io.cachekit.core.serialization.CompressionAlgorithm chosen = over(parent, "algorithm", this.algorithm, CompressionOptions::getAlgorithm);
			long below = over(parent, "threshold", this.threshold, CompressionOptions::getThreshold).toBytes();
			long max = over(parent, "maxDecompressedSize", this.maxDecompressedSize, CompressionOptions::getMaxDecompressedSize)
				.toBytes();
			io.cachekit.core.serialization.Compression algorithm = io.cachekit.core.serialization.Compression.of(chosen);
			io.cachekit.core.serialization.Compression sized = CacheKitAutoConfiguration.check(property + ".threshold",
					() -> algorithm.withThreshold((int) Math.min(Integer.MAX_VALUE, below)));
			io.cachekit.core.serialization.Compression compression = CacheKitAutoConfiguration.check(property + ".max-decompressed-size",
					() -> sized.withMaxDecompressedSize((int) Math.min(Integer.MAX_VALUE - 16, max)));
			try {
				// the codec's library, checked at start-up rather than at the first write
				compression.wrap(io.cachekit.core.serialization.CacheSerializers.bytes());
			}
			catch (IllegalStateException ex) {
				throw new InvalidCacheKitConfigurationException(property + ".algorithm", ex.getMessage());
			}
			return compression;
		}

	}

	/** JSON serializer settings. */
	public static class Json {

		/**
		 * Packages (with their sub-packages) whose classes the json serializer may read back, and
		 * the jdk serializer may deserialize. Empty means the application's own packages (those of
		 * its @SpringBootApplication class).
		 */
		private List<String> trustedPackages = new ArrayList<>();

		/**
		 * Packages (with their sub-packages) whose classes the json serializer may read back, and the jdk serializer may deserialize.
		 * @return the configured value
		 */
		public List<String> getTrustedPackages() {
			return this.trustedPackages;
		}

		/**
		 * Packages (with their sub-packages) whose classes the json serializer may read back, and the jdk serializer may deserialize.
		 * @param trustedPackages the new value
		 */
		public void setTrustedPackages(List<String> trustedPackages) {
			this.trustedPackages = trustedPackages;
		}

	}

	/** Lettuce client options passed through to the connection. */
	public static class RedisOptions {

		/**
		 * Client name set on the connection (CLIENT SETNAME), shown by CLIENT LIST.
		 */
		private @Nullable String clientName;

		/**
		 * How the server certificate of a rediss:// connection is verified: none, ca or full.
		 */
		private @Nullable SslVerifyMode sslVerifyMode;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust and key material secure the
		 * connection; setting it turns TLS on. Defaults to spring.data.redis.ssl.bundle when the
		 * connection comes from spring.data.redis.*.
		 */
		private @Nullable String sslBundle;

		/**
		 * User of the Sentinel nodes themselves (ACL), for a redis-sentinel:// URL. Defaults to
		 * spring.data.redis.sentinel.username when the connection comes from spring.data.redis.*.
		 */
		private @Nullable String sentinelUsername;

		/**
		 * Password of the Sentinel nodes themselves (their requirepass), for a redis-sentinel://
		 * URL, whose own credentials are the data nodes'. Defaults to
		 * spring.data.redis.sentinel.password when the connection comes from spring.data.redis.*.
		 */
		private @Nullable String sentinelPassword;

		/**
		 * Whether the URL's single host is a seed of a Redis Cluster (implied by several hosts).
		 */
		private boolean cluster;

		/**
		 * Client name set on the connection (CLIENT SETNAME), shown by CLIENT LIST.
		 * @return the configured value
		 */
		public @Nullable String getClientName() {
			return this.clientName;
		}

		/**
		 * Client name set on the connection (CLIENT SETNAME), shown by CLIENT LIST.
		 * @param clientName the new value
		 */
		public void setClientName(@Nullable String clientName) {
			this.clientName = clientName;
		}

		/**
		 * How the server certificate of a {@code rediss://} connection is verified.
		 * @return the configured value
		 */
		public @Nullable SslVerifyMode getSslVerifyMode() {
			return this.sslVerifyMode;
		}

		/**
		 * How the server certificate of a {@code rediss://} connection is verified.
		 * @param sslVerifyMode the new value
		 */
		public void setSslVerifyMode(@Nullable SslVerifyMode sslVerifyMode) {
			this.sslVerifyMode = sslVerifyMode;
		}

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust and key material secure the connection; setting it turns TLS on.
		 * @return the configured value
		 */
		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust and key material secure the connection; setting it turns TLS on.
		 * @param sslBundle the new value
		 */
		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

		/**
		 * User of the Sentinel nodes themselves (ACL), for a redis-sentinel.
		 * @return the configured value
		 */
		public @Nullable String getSentinelUsername() {
			return this.sentinelUsername;
		}

		/**
		 * User of the Sentinel nodes themselves (ACL), for a redis-sentinel.
		 * @param sentinelUsername the new value
		 */
		public void setSentinelUsername(@Nullable String sentinelUsername) {
			this.sentinelUsername = sentinelUsername;
		}

		/**
		 * Password of the Sentinel nodes themselves (their requirepass), for a redis-sentinel.
		 * @return the configured value
		 */
		public @Nullable String getSentinelPassword() {
			return this.sentinelPassword;
		}

		/**
		 * Password of the Sentinel nodes themselves (their requirepass), for a redis-sentinel.
		 * @param sentinelPassword the new value
		 */
		public void setSentinelPassword(@Nullable String sentinelPassword) {
			this.sentinelPassword = sentinelPassword;
		}

		/**
		 * Whether the URL's single host is a seed of a Redis Cluster (implied by several hosts).
		 * @return the configured value
		 */
		public boolean isCluster() {
			return this.cluster;
		}

		/**
		 * Whether the URL's single host is a seed of a Redis Cluster (implied by several hosts).
		 * @param cluster the new value
		 */
		public void setCluster(boolean cluster) {
			this.cluster = cluster;
		}

	}

	/** Circuit breaker settings. */
	public static class CircuitBreaker {

		/**
		 * Consecutive connection failures or timeouts that open the circuit. 0 disables the breaker.
		 */
		private int failureThreshold = CacheDefaults.BREAKER_FAILURE_THRESHOLD;

		/**
		 * How long an open circuit fails calls at once before letting one probe through.
		 */
		private Duration openDuration = CacheDefaults.BREAKER_OPEN_DURATION;

		/**
		 * Consecutive connection failures or timeouts that open the circuit.
		 * @return the configured value
		 */
		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		/**
		 * Consecutive connection failures or timeouts that open the circuit.
		 * @param failureThreshold the new value
		 */
		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		/**
		 * How long an open circuit fails calls at once before letting one probe through.
		 * @return the configured value
		 */
		public Duration getOpenDuration() {
			return this.openDuration;
		}

		/**
		 * How long an open circuit fails calls at once before letting one probe through.
		 * @param openDuration the new value
		 */
		public void setOpenDuration(Duration openDuration) {
			this.openDuration = openDuration;
		}

	}

	private final Loading loading = new Loading();

	/**
	 * Stampede protection defaults of every cache.
	 * @return the settings
	 */
	public Loading getLoading() {
		return this.loading;
	}

	/**
	 * Stampede protection (load-through with a lease across instances) for the caches of the
	 * bridge: every cache's ({@code app.cache.loading.*}) and one cache's
	 * ({@code app.cache.caches.<name>.loading.*}, unset values every cache's).
	 */
	public static class Loading extends Overridable<Loading> {

		/**
		 * Whether caches load through stampede protection: one load per key at a time across all
		 * instances, under a lease in Redis. Implied for a cache that turns on early refresh, stale
		 * grace, TTL jitter or time-to-idle.
		 */
		private boolean enabled = false;

		/**
		 * Longest a loader holds its lease: a holder that dies blocks others at most this long.
		 */
		private Duration leaseTime = LoadingSettings.DEFAULT_LEASE_TIME;

		/**
		 * Longest a caller waits for another instance's load before loading itself. Unset means the
		 * lease time.
		 */
		private @Nullable Duration leaseWait;

		/**
		 * Whether hits refresh entries early in the background (XFetch); entries then carry their
		 * recompute time and logical expiry in a 16-byte header.
		 */
		private boolean earlyRefresh = false;

		/**
		 * XFetch beta of early refresh: above 1 refreshes earlier, below 1 later.
		 */
		private double beta = LoadingSettings.DEFAULT_BETA;

		/**
		 * How long after its expiry an entry is still served when its loader fails. 0 means never.
		 */
		private Duration staleGrace = Duration.ZERO;

		/**
		 * Longest a caller holding a stale value waits for its reload before answering the stale
		 * value (the reload goes on). Unset means as long as the reload takes.
		 */
		private @Nullable Duration staleLoadTimeout;

		/**
		 * Fraction of each TTL taken off at random (from 0 to below 1), so that entries written
		 * together do not expire together. 0 means none.
		 */
		private double ttlJitter = 0.0;

		/**
		 * TTL each hit resets an entry to (GETEX), so entries not read for this long expire. Unset
		 * means hits leave TTLs alone.
		 */
		private @Nullable Duration timeToIdle;

		/**
		 * Whether caches load through stampede protection.
		 * @return whether it is on
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Whether caches load through stampede protection.
		 * @param enabled whether it is on
		 */
		public void setEnabled(boolean enabled) {
			mark("enabled");
			this.enabled = enabled;
		}

		/**
		 * Longest a loader holds its lease.
		 * @return the lease time
		 */
		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		/**
		 * Longest a loader holds its lease.
		 * @param leaseTime the lease time
		 */
		public void setLeaseTime(Duration leaseTime) {
			mark("leaseTime");
			this.leaseTime = leaseTime;
		}

		/**
		 * Longest a caller waits for another instance's load.
		 * @return the lease wait, or {@code null} for the lease time
		 */
		public @Nullable Duration getLeaseWait() {
			return this.leaseWait;
		}

		/**
		 * Longest a caller waits for another instance's load.
		 * @param leaseWait the lease wait, or {@code null} for the lease time
		 */
		public void setLeaseWait(@Nullable Duration leaseWait) {
			mark("leaseWait");
			this.leaseWait = leaseWait;
		}

		/**
		 * Whether hits refresh entries early in the background.
		 * @return whether early refresh is on
		 */
		public boolean isEarlyRefresh() {
			return this.earlyRefresh;
		}

		/**
		 * Whether hits refresh entries early in the background.
		 * @param earlyRefresh whether early refresh is on
		 */
		public void setEarlyRefresh(boolean earlyRefresh) {
			mark("earlyRefresh");
			this.earlyRefresh = earlyRefresh;
		}

		/**
		 * XFetch beta of early refresh.
		 * @return beta
		 */
		public double getBeta() {
			return this.beta;
		}

		/**
		 * XFetch beta of early refresh.
		 * @param beta beta
		 */
		public void setBeta(double beta) {
			mark("beta");
			this.beta = beta;
		}

		/**
		 * How long after its expiry an entry is served when its loader fails.
		 * @return the grace
		 */
		public Duration getStaleGrace() {
			return this.staleGrace;
		}

		/**
		 * How long after its expiry an entry is served when its loader fails.
		 * @param staleGrace the grace
		 */
		public void setStaleGrace(Duration staleGrace) {
			mark("staleGrace");
			this.staleGrace = staleGrace;
		}

		/**
		 * Longest a caller holding a stale value waits for its reload.
		 * @return the timeout, or {@code null}
		 */
		public @Nullable Duration getStaleLoadTimeout() {
			return this.staleLoadTimeout;
		}

		/**
		 * Longest a caller holding a stale value waits for its reload.
		 * @param staleLoadTimeout the timeout, or {@code null}
		 */
		public void setStaleLoadTimeout(@Nullable Duration staleLoadTimeout) {
			mark("staleLoadTimeout");
			this.staleLoadTimeout = staleLoadTimeout;
		}

		/**
		 * Fraction of each TTL taken off at random.
		 * @return the jitter
		 */
		public double getTtlJitter() {
			return this.ttlJitter;
		}

		/**
		 * Fraction of each TTL taken off at random.
		 * @param ttlJitter the jitter
		 */
		public void setTtlJitter(double ttlJitter) {
			mark("ttlJitter");
			this.ttlJitter = ttlJitter;
		}

		/**
		 * TTL each hit resets an entry to.
		 * @return the time-to-idle, or {@code null}
		 */
		public @Nullable Duration getTimeToIdle() {
			return this.timeToIdle;
		}

		/**
		 * TTL each hit resets an entry to.
		 * @param timeToIdle the time-to-idle, or {@code null}
		 */
		public void setTimeToIdle(@Nullable Duration timeToIdle) {
			mark("timeToIdle");
			this.timeToIdle = timeToIdle;
		}

		/**
		 * The loading layer's settings these describe over {@code parent}'s (each unset value the
		 * parent's), or {@code null} when stampede protection is off: off unless enabled, or
		 * unless early refresh, stale grace, TTL jitter or time-to-idle is on.
		 * @param parent app.cache.loading, or {@code null} for app.cache.loading itself
		 * @param property where these settings are bound (app.cache.loading or
		 *     app.cache.caches.NAME.loading), named by the exception for a bad value
		 * @return the settings, or {@code null}
		 * @throws InvalidCacheKitConfigurationException naming the property of a bad value
		 */
		public @Nullable LoadingSettings resolve(@Nullable Loading parent, String property) {
			boolean early = over(parent, "earlyRefresh", this.earlyRefresh, Loading::isEarlyRefresh);
			Duration grace = over(parent, "staleGrace", this.staleGrace, Loading::getStaleGrace);
			double jitter = over(parent, "ttlJitter", this.ttlJitter, Loading::getTtlJitter);
			Duration idle = over(parent, "timeToIdle", this.timeToIdle, Loading::getTimeToIdle);
			boolean features = early || !grace.isZero() || jitter != 0 || idle != null;
			if (!over(parent, "enabled", this.enabled || (parent == null && features), (p) -> p.isEnabled() || features)) {
				return null;
			}
			LoadingSettings settings = LoadingSettings.defaults().withEarlyRefresh(early);
			settings = step(property + ".lease-time", settings,
					(s) -> s.withLeaseTime(over(parent, "leaseTime", this.leaseTime, Loading::getLeaseTime)));
			Duration wait = over(parent, "leaseWait", this.leaseWait, Loading::getLeaseWait);
			settings = step(property + ".lease-wait", settings, (s) -> s.withLeaseWait(wait));
			settings = step(property + ".beta", settings, (s) -> s.withBeta(over(parent, "beta", this.beta, Loading::getBeta)));
			settings = step(property + ".stale-grace", settings, (s) -> s.withStaleGrace(grace));
			Duration reload = over(parent, "staleLoadTimeout", this.staleLoadTimeout, Loading::getStaleLoadTimeout);
			settings = step(property + ".stale-load-timeout", settings, (s) -> s.withStaleLoadTimeout(reload));
			settings = step(property + ".ttl-jitter", settings, (s) -> s.withTtlJitter(jitter));
			return step(property + ".time-to-idle", settings, (s) -> s.withTimeToIdle(idle));
		}

		private static LoadingSettings step(String property, LoadingSettings settings,
				Function<LoadingSettings, LoadingSettings> change) {
			return CacheKitAutoConfiguration.check(property, () -> change.apply(settings));
		}

	}

	/**
	 * Settings that a cache may set for itself over app.cache's ({@code app.cache.caches.<name>.*}):
	 * they remember which were set, so an unset one is its parent's.
	 *
	 * @param <S> the settings type
	 */
	abstract static class Overridable<S extends Overridable<S>> {

		private final Set<String> set = new HashSet<>();

		/** Remembers that {@code name} was set (by binding or by code). */
		final void mark(String name) {
			this.set.add(name);
		}

		/**
		 * Whether any value was set: for a cache, whether it overrides app.cache's.
		 * @return whether any value was set
		 */
		public final boolean isOverridden() {
			return !this.set.isEmpty();
		}

		/** {@code own} when it was set or there is no parent, else the parent's. */
		final <V> V over(@Nullable S parent, String name, V own, Function<S, V> value) {
			return (parent == null || this.set.contains(name)) ? own : value.apply(parent);
		}

	}

	/**
	 * Tag settings ({@code app.cache.tags.*}, and a cache's own {@code app.cache.caches.<name>.tags.*},
	 * unset values app.cache.tags'): whether entries may carry tags ({@code @CacheTags}), which
	 * {@code @EvictTags} and {@code CacheBackend.invalidateTag} invalidate with one write.
	 */
	public static class TagsOptions {

		/**
		 * Whether entries may carry tags: reads then check each tagged entry's tag versions (kept
		 * locally, no extra round trip once seen) and go to Redis past a near cache. Unset means
		 * false for app.cache.tags, and app.cache.tags.enabled for a cache.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Whether entries may carry tags.
		 * @return the configured value, or {@code null} when unset
		 */
		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		/**
		 * Whether entries may carry tags.
		 * @param enabled whether they may
		 */
		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Whether tags are on, over {@code parent}'s when unset here.
		 * @param parent app.cache.tags for a cache's own, or {@code null} for app.cache.tags itself
		 * @return whether entries may carry tags
		 */
		public boolean resolve(@Nullable TagsOptions parent) {
			if (this.enabled != null) {
				return this.enabled;
			}
			return parent != null && parent.resolve(null);
		}

	}

}
