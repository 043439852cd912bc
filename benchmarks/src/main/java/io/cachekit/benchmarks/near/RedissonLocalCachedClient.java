package io.cachekit.benchmarks.near;

import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson's {@code RLocalCachedMap} with its default single-server configuration: a local cache
 * of {@code nearEntries} entries (LRU) kept in step by invalidation messages on a pub/sub topic,
 * cleared when a connection is re-established. Unlike the others it stores its entries as the
 * fields of one Redis hash ({@link #mapName}), so a write is an {@code HSET} plus a
 * {@code PUBLISH}, and fields have no TTL of their own.
 */
final class RedissonLocalCachedClient implements NearClient {

	private final RedissonClient redisson;

	private final RLocalCachedMap<String, String> map;

	RedissonLocalCachedClient(String redisUrl, Workload workload) {
		Config config = new Config();
		config.useSingleServer().setAddress(redisUrl);
		this.redisson = Redisson.create(config);
		this.map = this.redisson.getLocalCachedMap(LocalCachedMapOptions.<String, String>name(mapName(workload))
			.codec(StringCodec.INSTANCE)
			.cacheSize(workload.nearEntries())
			.evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
			.syncStrategy(LocalCachedMapOptions.SyncStrategy.INVALIDATE)
			.reconnectionStrategy(LocalCachedMapOptions.ReconnectionStrategy.CLEAR));
	}

	/** The hash holding a workload's data set. */
	static String mapName(Workload workload) {
		return "wl-map:" + workload.dataSet();
	}

	@Override
	public String get(String key) {
		return this.map.get(key);
	}

	@Override
	public void set(String key, String value) {
		this.map.fastPut(key, value);
	}

	@Override
	public void close() {
		this.redisson.shutdown();
	}

}
