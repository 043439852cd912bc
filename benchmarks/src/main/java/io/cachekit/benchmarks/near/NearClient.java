package io.cachekit.benchmarks.near;

/**
 * The facade the near cache workloads drive: string values read and written through one client,
 * with or without a near cache, keyed without the client's own prefix or map name.
 */
public interface NearClient extends AutoCloseable {

	/**
	 * Reads {@code key}.
	 * @param key the key
	 * @return the value, or {@code null} when absent
	 */
	String get(String key);

	/**
	 * Writes {@code key} through the same client (so its own near cache sees the write).
	 * @param key the key
	 * @param value the value
	 */
	void set(String key, String value);

	/**
	 * What the client's near cache did so far, for the log (hits, misses, ...), or empty.
	 * @return a line of statistics, or {@code ""}
	 */
	default String stats() {
		return "";
	}

	@Override
	void close();

	/**
	 * The client {@code impl} names, over the Redis at {@code redisUrl}, holding at most
	 * {@code workload.nearEntries()} entries near.
	 * <ul>
	 * <li>{@code none}: CacheKit without a near cache (every read a GET)</li>
	 * <li>{@code near}: CacheKit with its near cache, default tracking</li>
	 * <li>{@code near-broadcast}: CacheKit with its near cache, broadcast tracking on the prefix</li>
	 * <li>{@code lettuce-csc}: Lettuce's {@code ClientSideCaching} over a bounded Caffeine map
	 * (standalone only; not correct under the invalidation race, see {@link LettuceCscClient})</li>
	 * <li>{@code redisson-local}: Redisson's {@code RLocalCachedMap} (one Redis hash, see
	 * {@link RedissonLocalCachedClient})</li>
	 * </ul>
	 * @param impl the name
	 * @param redisUrl {@code redis://host:port}
	 * @param workload the workload, for the near cache's bound and the key space
	 * @return an open client
	 */
	static NearClient open(String impl, String redisUrl, Workload workload) {
		return switch (impl) {
			case "none" -> CacheKitNearClient.withoutNearCache(redisUrl);
			case "near" -> CacheKitNearClient.withNearCache(redisUrl, workload.nearEntries(), false);
			case "near-broadcast" -> CacheKitNearClient.withNearCache(redisUrl, workload.nearEntries(), true);
			case "lettuce-csc" -> new LettuceCscClient(redisUrl, workload.nearEntries());
			case "redisson-local" -> new RedissonLocalCachedClient(redisUrl, workload);
			default -> throw new IllegalArgumentException("unknown impl: " + impl);
		};
	}

}
