package io.cachekit.benchmarks.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.Codec;
import org.redisson.codec.TypedJsonJackson3Codec;
import org.redisson.config.Config;

/**
 * Redisson 4 with its default single-server configuration (connection pool, Netty threads): one
 * {@code RBucket} per key, obtained per call as Redisson's documentation shows, with the Jackson 3
 * codec for one known type, {@link TypedJsonJackson3Codec} (plain JSON, no type metadata).
 * {@link #getMany} is {@code RBuckets.get} (one MGET).
 */
final class RedissonCache implements BenchCache {

	private final RedissonClient redisson;

	private final Codec codec;

	private final String prefix;

	RedissonCache(String redisUrl, String prefix, Class<?> type) {
		this.prefix = prefix;
		Config config = new Config();
		config.useSingleServer().setAddress(redisUrl);
		this.redisson = Redisson.create(config);
		this.codec = new TypedJsonJackson3Codec(type);
	}

	@Override
	public Object get(String key) {
		return this.redisson.getBucket(this.prefix + key, this.codec).get();
	}

	@Override
	public boolean set(String key, Object value) {
		this.redisson.getBucket(this.prefix + key, this.codec).set(value, TTL);
		return true;
	}

	@Override
	public Map<String, Object> getMany(List<String> keys) {
		String[] redisKeys = new String[keys.size()];
		for (int i = 0; i < redisKeys.length; i++) {
			redisKeys[i] = this.prefix + keys.get(i);
		}
		Map<String, Object> values = this.redisson.getBuckets(this.codec).get(redisKeys);
		Map<String, Object> found = new LinkedHashMap<>(values.size() * 2);
		int p = this.prefix.length();
		values.forEach((k, v) -> found.put(k.substring(p), v));
		return found;
	}

	@Override
	public CompletableFuture<?> getAsync(String key) {
		return this.redisson.getBucket(this.prefix + key, this.codec).getAsync().toCompletableFuture();
	}

	@Override
	public String redisKey(String key) {
		return this.prefix + key;
	}

	@Override
	public void close() {
		this.redisson.shutdown();
	}

}
