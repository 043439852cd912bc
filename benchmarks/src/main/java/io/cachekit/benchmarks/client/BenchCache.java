package io.cachekit.benchmarks.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one small facade every implementation under test is driven through (as Caffeine's
 * benchmarks drive caches through {@code BasicCache}), so that each benchmark method is the
 * same code for all of them. Implementations are thin: each call is the library's own public
 * API, used the way its documentation shows.
 */
public interface BenchCache extends AutoCloseable {

	/** The TTL of every {@link #set} (10 minutes: long enough never to expire during a run). */
	Duration TTL = Duration.ofMinutes(10);

	/** The value under {@code key}, or {@code null} on a miss. */
	Object get(String key);

	/** Stores {@code value} with {@link #TTL}; whether it was stored (or accepted, for fire-and-forget writers). */
	boolean set(String key, Object value);

	/** The values of those {@code keys} that are present, in one round trip where the library offers it. */
	Map<String, Object> getMany(List<String> keys);

	/** The value under {@code key}, without blocking; completes with {@code null} on a miss. */
	CompletableFuture<?> getAsync(String key);

	/** The Redis key {@code key} is stored under (for sanity checks). */
	String redisKey(String key);

	@Override
	void close();

}
