package io.cachekit.benchmarks.near;

import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Loads a workload's data set once per Redis: its keys as strings under
 * {@link CacheKitNearClient#PREFIX} (read by CacheKit and Lettuce) and as the fields of
 * Redisson's hash; a marker key records that it was loaded, so every trial after the first
 * reuses it.
 */
final class WorkloadData {

	private static final int BATCH = 500;

	private WorkloadData() {
	}

	/** The value every key of {@code workload} holds (and is written with). */
	static String value(Workload workload) {
		return "v".repeat(workload.valueBytes());
	}

	static void ensureLoaded(String redisUrl, Workload workload) {
		RedisClient client = RedisClient.create(redisUrl);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			String marker = "wl-loaded:" + workload.dataSet() + ":" + workload.keys() + ":" + workload.valueBytes();
			if (redis.exists(marker) == 1) {
				return;
			}
			String value = value(workload);
			String map = RedissonLocalCachedClient.mapName(workload);
			Map<String, String> keys = new HashMap<>();
			Map<String, String> fields = new HashMap<>();
			for (int i = 0; i < workload.keys(); i++) {
				keys.put(CacheKitNearClient.PREFIX + workload.key(i), value);
				fields.put(workload.key(i), value);
				if (keys.size() == BATCH || i == workload.keys() - 1) {
					redis.mset(keys);
					redis.hset(map, fields);
					keys.clear();
					fields.clear();
				}
			}
			redis.set(marker, "1");
		}
		finally {
			client.shutdown();
		}
	}

}
