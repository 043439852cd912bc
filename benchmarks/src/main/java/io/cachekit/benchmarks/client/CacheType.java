package io.cachekit.benchmarks.client;

import java.util.Locale;

import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.RedisEndpoint;
import io.cachekit.redis.RedisCacheBackend;
import io.lettuce.core.TimeoutOptions;

/**
 * The implementations under test, by the name used in the JMH {@code impl} parameter. All of
 * them talk to the same Redis ({@link RedisEndpoint}), each under its own key prefix.
 */
public enum CacheType {

	/** CacheKit {@code RedisCacheBackend}, blocking face, {@code CacheSerializers.json(Product.class)}. */
	CACHEKIT("cachekit"),

	/** CacheKit, {@code backend.async()}, same serializer. */
	CACHEKIT_ASYNC("cachekit-async"),

	/** CacheKit, blocking face, {@code CacheSerializers.json(trustedPackages)} (records each value's class). */
	CACHEKIT_OBJECT("cachekit-object"),

	/**
	 * Diagnostic: CacheKit on a bytes view, JSON decoded by the calling thread (see
	 * {@code CacheKitCache.CallerDecode}); not a configuration CacheKit offers.
	 */
	CACHEKIT_CALLER_DECODE("cachekit-callerdecode"),

	/**
	 * Diagnostic: CacheKit (sync, typed) with Lettuce's per-command timers
	 * ({@code TimeoutOptions.enabled(500 ms)}) turned back on through {@code clientOptions(...)}, on
	 * top of CacheKit's own {@code CommandDeadlines}: prices the timers CacheKit replaced.
	 */
	CACHEKIT_LETTUCE_TIMEOUTS("cachekit-lettucetimeouts"),
	/**
	 * CacheKit (sync, typed) observed as the starter does with an {@code ObservationRegistry}
	 * and a {@code MeterRegistry} (CacheKit's meter handler before Micrometer's default one, as Boot groups
	 * them): prices observations; plain {@code cachekit} is them off.
	 */
	CACHEKIT_OBSERVED("cachekit-observed"),

	/**
	 * Raw Lettuce 7 + Jackson 3 done by the benchmark, the floor: async API, decoded on the I/O
	 * thread, awaited by the caller.
	 */
	LETTUCE("lettuce"),

	/** Raw Lettuce 7 through its sync API, decoded by the caller (the usual way to write it). */
	LETTUCE_SYNC("lettuce-sync"),

	/** Diagnostic: raw Lettuce through the async API, the future awaited, decoded by the caller. */
	LETTUCE_CALLER_DECODE("lettuce-callerdecode"),

	/** Spring Data Redis {@code RedisCache}, default cache writer (asynchronous puts). */
	SDR("sdr"),

	/** Spring Data Redis {@code RedisCache}, cache writer with {@code immediateWrites()}. */
	SDR_IMMEDIATE("sdr-immediate"),

	/** Redisson 4 {@code RBucket} with {@code TypedJsonJackson3Codec}. */
	REDISSON("redisson");

	private final String id;

	CacheType(String id) {
		this.id = id;
	}

	public String id() {
		return this.id;
	}

	public static CacheType of(String id) {
		for (CacheType type : values()) {
			if (type.id.equals(id)) {
				return type;
			}
		}
		throw new IllegalArgumentException("unknown impl '" + id + "'");
	}

	/** A connected client for {@code payload} values, under the prefix {@code bench:<impl>:<payload>:}. */
	public BenchCache create(Payload payload) {
		String name = "bench:" + this.id + ":" + payload.name().toLowerCase(Locale.ROOT);
		String url = RedisEndpoint.url();
		int port = RedisEndpoint.port();
		return switch (this) {
			case CACHEKIT -> new CacheKitCache(url, name + ":", CacheKitCache.typedJson(payload.type()), CacheKitCache.Face.SYNC);
			case CACHEKIT_ASYNC -> new CacheKitCache(url, name + ":", CacheKitCache.typedJson(payload.type()), CacheKitCache.Face.ASYNC);
			case CACHEKIT_OBJECT -> new CacheKitCache(url, name + ":", CacheKitCache.objectJson(), CacheKitCache.Face.SYNC);
			case CACHEKIT_CALLER_DECODE -> new CacheKitCache.CallerDecode(url, name + ":", payload.type());
			case CACHEKIT_LETTUCE_TIMEOUTS -> new CacheKitCache(url, name + ":", CacheKitCache.typedJson(payload.type()),
					CacheKitCache.Face.SYNC, (builder) -> builder.clientOptions((options) -> options
						.timeoutOptions(TimeoutOptions.enabled(io.cachekit.core.CacheDefaults.COMMAND_TIMEOUT))));
			case CACHEKIT_OBSERVED -> new CacheKitCache(url, name + ":", CacheKitCache.typedJson(payload.type()),
					CacheKitCache.Face.SYNC, (builder) -> builder, CacheKitCache::observed);
			case LETTUCE -> new LettuceCache(RedisEndpoint.HOST, port, name + ":", payload.type(), LettuceCache.Wait.AWAIT_DECODED);
			case LETTUCE_SYNC -> new LettuceCache(RedisEndpoint.HOST, port, name + ":", payload.type(), LettuceCache.Wait.SYNC_API);
			case LETTUCE_CALLER_DECODE -> new LettuceCache(RedisEndpoint.HOST, port, name + ":", payload.type(),
					LettuceCache.Wait.AWAIT_FUTURE);
			case SDR -> new SpringDataRedisCache(RedisEndpoint.HOST, port, name, false);
			case SDR_IMMEDIATE -> new SpringDataRedisCache(RedisEndpoint.HOST, port, name, true);
			case REDISSON -> new RedissonCache(url, name + ":", payload.type());
		};
	}

}
