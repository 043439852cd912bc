package io.cachekit.benchmarks.near;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Another client: a plain Lettuce connection of its own (no near cache, not CacheKit) that writes
 * where a given client under test reads {@code key}: the string key under
 * {@link CacheKitNearClient#PREFIX}, or the field of Redisson's hash for {@code redisson-local}.
 */
public final class RawWriter implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> redis;

	private final String hash;

	/**
	 * A writer for the client {@code impl} names, over the keys of {@code workload}.
	 * @param redisUrl {@code redis://host:port}
	 * @param impl the client under test (see {@link NearClient#open})
	 * @param workload the workload whose keys are written
	 */
	public RawWriter(String redisUrl, String impl, Workload workload) {
		this.client = RedisClient.create(redisUrl);
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
		this.hash = impl.equals("redisson-local") ? RedissonLocalCachedClient.mapName(workload) : null;
	}

	/**
	 * Writes {@code value} to {@code key} and waits for Redis' acknowledgement.
	 * @param key the key, as the client under test names it
	 * @param value the value
	 */
	public void write(String key, String value) {
		if (this.hash != null) {
			this.redis.hset(this.hash, key, value);
		}
		else {
			this.redis.set(CacheKitNearClient.PREFIX + key, value);
		}
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
