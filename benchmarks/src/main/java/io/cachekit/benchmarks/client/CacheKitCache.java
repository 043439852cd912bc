package io.cachekit.benchmarks.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;

/**
 * CacheKit's {@link RedisCacheBackend} with its defaults (fail-open, 500 ms command timeout,
 * circuit breaker), built as the README shows. Three flavours:
 * <ul>
 * <li>{@code cachekit}: the blocking face with a typed JSON serializer,
 * {@code CacheSerializers.json(Product.class)};</li>
 * <li>{@code cachekit-async}: the same backend through {@code backend.async()}, each future
 * joined (for the async scenario it is not joined one by one);</li>
 * <li>{@code cachekit-object}: the blocking face with the default kind of serializer,
 * {@code CacheSerializers.json(trustedPackages)}, which records each value's class.</li>
 * </ul>
 */
final class CacheKitCache implements BenchCache {

	/** Which face of the backend a call goes through. */
	enum Face {
		SYNC, ASYNC
	}

	private final RedisCacheBackend<Object> backend;

	private final AsyncCacheBackend<Object> async;

	private final Face face;

	private final String prefix;

	CacheKitCache(String redisUrl, String prefix, CacheSerializer<Object> serializer, Face face) {
		this.prefix = prefix;
		this.face = face;
		this.backend = RedisCacheBackend.builder(redisUrl).serializer(serializer).prefix(prefix).build();
		this.backend.initialize();
		this.async = this.backend.async();
	}

	/** A typed serializer seen as one for {@code Object} (the benchmark only ever gives it {@code type}). */
	@SuppressWarnings("unchecked")
	static CacheSerializer<Object> typedJson(Class<?> type) {
		return (CacheSerializer<Object>) CacheSerializers.json(type);
	}

	/** The kind of serializer {@code RedisCacheBackend.builder(url)} uses, trusting the payload's package. */
	static CacheSerializer<Object> objectJson() {
		return CacheSerializers.json(List.of("io.cachekit.benchmarks"));
	}

	@Override
	public Object get(String key) {
		if (this.face == Face.ASYNC) {
			return this.async.get(key).join().orElse(null);
		}
		return this.backend.get(key).orElse(null);
	}

	@Override
	public boolean set(String key, Object value) {
		if (this.face == Face.ASYNC) {
			return this.async.set(key, value, TTL).join();
		}
		return this.backend.set(key, value, TTL);
	}

	@Override
	public Map<String, Object> getMany(List<String> keys) {
		if (this.face == Face.ASYNC) {
			return this.async.getMany(keys).join();
		}
		return this.backend.getMany(keys);
	}

	@Override
	public CompletableFuture<?> getAsync(String key) {
		return this.async.get(key);
	}

	@Override
	public String redisKey(String key) {
		return this.prefix + key;
	}

	@Override
	public void close() {
		this.backend.close();
	}

}
