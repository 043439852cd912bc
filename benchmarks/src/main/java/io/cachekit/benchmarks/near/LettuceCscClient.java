package io.cachekit.benchmarks.near;

import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;

/**
 * Lettuce's own client-side caching ({@code io.lettuce.core.support.caching.ClientSideCaching})
 * over a Caffeine map bounded like CacheKit's near cache, on one RESP3 connection with default
 * tracking; writes are a plain {@code SET} on the same connection. For comparison only: it is
 * for a standalone Redis, and it is not correct under the race where an invalidation arrives
 * between a read's reply and the read keeping its value (the value is then kept, stale, until
 * evicted: lettuce #3481); nor does it flush what it holds when its connection is lost.
 */
final class LettuceCscClient implements NearClient {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final CacheFrontend<String, String> frontend;

	private final SetArgs ttl = SetArgs.Builder.ex(CacheKitNearClient.TTL);

	LettuceCscClient(String redisUrl, long maxEntries) {
		this.client = RedisClient.create(redisUrl);
		this.connection = this.client.connect();
		Map<String, String> near = Caffeine.newBuilder().maximumSize(maxEntries).<String, String>build().asMap();
		this.frontend = ClientSideCaching.enable(CacheAccessor.forMap(near), this.connection, TrackingArgs.Builder.enabled());
	}

	@Override
	public String get(String key) {
		return this.frontend.get(CacheKitNearClient.PREFIX + key);
	}

	@Override
	public void set(String key, String value) {
		this.connection.sync().set(CacheKitNearClient.PREFIX + key, value, this.ttl);
	}

	@Override
	public void close() {
		this.frontend.close();
		this.connection.close();
		this.client.shutdown();
	}

}
