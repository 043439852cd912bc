package io.cachekit.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.NullValue;

import io.cachekit.core.TtlFunction;

/**
 * A bridge cache's {@link TtlFunction} as its store's layer asks it: with the entry's key within
 * the cache (its keyspace's prefix taken off) and the value the method answered; a cached
 * {@code null} and a {@code null} answer get the cache's own TTL, or the backend's default.
 */
final class CacheTtlFunction implements TtlFunction {

	private final CacheKeyspace keys;

	private final TtlFunction function;

	private final @Nullable Duration fallback;

	CacheTtlFunction(CacheKeyspace keys, TtlFunction function, @Nullable Duration fallback) {
		this.keys = keys;
		this.function = function;
		this.fallback = fallback;
	}

	@Override
	public @Nullable Duration ttl(String key, Object value) {
		if (value instanceof NullValue || StoredValues.TEXT_NULL_MARKER.equals(value)) {
			return this.fallback;
		}
		String prefix = this.keys.prefix();
		Duration ttl = this.function.ttl(key.startsWith(prefix) ? key.substring(prefix.length()) : key, value);
		return (ttl != null) ? ttl : this.fallback;
	}

	@Override
	public String toString() {
		return this.function.toString();
	}

}
