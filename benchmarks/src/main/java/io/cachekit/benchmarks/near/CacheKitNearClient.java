package io.cachekit.benchmarks.near;

import java.time.Duration;

import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.near.TrackingMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;

/**
 * CacheKit's {@code RedisCacheBackend} with string values under the prefix {@value #PREFIX}, with
 * or without a near cache; reads and writes through the blocking face.
 */
final class CacheKitNearClient implements NearClient {

	/** The prefix of CacheKit's and Lettuce's keys: both read the same data set. */
	static final String PREFIX = "wl:";

	static final Duration TTL = Duration.ofMinutes(30);

	private final RedisCacheBackend<String> backend;

	private CacheKitNearClient(RedisCacheBackend<String> backend) {
		this.backend = backend;
		this.backend.initialize();
	}

	static CacheKitNearClient withoutNearCache(String redisUrl) {
		return new CacheKitNearClient(builder(redisUrl).build());
	}

	static CacheKitNearClient withNearCache(String redisUrl, long maxEntries, boolean broadcast) {
		NearCache near = NearCache.defaults()
			.withMaxEntries(maxEntries)
			.withTracking(broadcast ? TrackingMode.BROADCAST : TrackingMode.DEFAULT);
		return new CacheKitNearClient(builder(redisUrl).nearCache(near).build());
	}

	private static RedisCacheBackendBuilder<String> builder(String redisUrl) {
		return RedisCacheBackend.builder(redisUrl)
			.serializer(CacheSerializers.string())
			.prefix(PREFIX)
			.defaultTtl(TTL);
	}

	@Override
	public String get(String key) {
		return this.backend.get(key).orElse(null);
	}

	@Override
	public void set(String key, String value) {
		this.backend.set(key, value);
	}

	@Override
	public String stats() {
		return this.backend.getLayers()
			.stream()
			.filter(NearCacheLayer.class::isInstance)
			.map((layer) -> ((NearCacheLayer) layer).stats().toString())
			.findFirst()
			.orElse("");
	}

	@Override
	public void close() {
		this.backend.close();
	}

}
