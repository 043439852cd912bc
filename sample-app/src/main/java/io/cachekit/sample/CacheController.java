package io.cachekit.sample;

import java.time.Duration;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cachekit.core.CacheBackend;

/**
 * A look inside the cache, for people trying the sample: the TTL of any key (such as
 * {@code products::p1}, {@code categories::lighting} or {@code views:p1}) and invalidation by glob
 * pattern. Keys are relative to {@code app.cache.prefix}; nothing outside it can be reached.
 */
@RestController
@RequestMapping("/cache")
public class CacheController {

	private final CacheBackend<Object> cache;

	public CacheController(CacheBackend<Object> cache) {
		this.cache = cache;
	}

	/** Whether the key exists and how long it has left ({@code null}: it does not expire). */
	@GetMapping("/ttl")
	public KeyTtl ttl(@RequestParam String key) {
		Long seconds = this.cache.getTtl(key).map(Duration::toSeconds).orElse(null);
		return new KeyTtl(key, seconds != null || this.cache.exists(key), seconds);
	}

	/** Removes every key matching the pattern, such as {@code products::*}. */
	@DeleteMapping
	public Invalidation invalidate(@RequestParam String pattern) {
		return new Invalidation(pattern, this.cache.invalidatePattern(pattern));
	}

	/**
	 * A key's time to live.
	 *
	 * @param key the key, without the prefix
	 * @param exists whether it exists
	 * @param ttlSeconds seconds left; {@code null} when it does not expire or does not exist
	 */
	public record KeyTtl(String key, boolean exists, Long ttlSeconds) {
	}

	/**
	 * The result of a pattern invalidation.
	 *
	 * @param pattern the glob pattern
	 * @param removed how many keys were removed
	 */
	public record Invalidation(String pattern, long removed) {
	}

}
