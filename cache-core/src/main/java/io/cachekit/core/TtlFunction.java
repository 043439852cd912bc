package io.cachekit.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The TTL of one entry, from its key and value: a token cached until its own expiry, a product
 * until its sale ends (Spring Data Redis' {@code RedisCacheWriter.TtlFunction}). Asked by every
 * write that is given no TTL ({@code set}, {@code add} and {@code setMany} without one, a loaded
 * value of {@code getOrLoad} without one, a bridge cache's {@code put}); a write given a TTL keeps
 * it. The answer follows the contract's TTL rules: {@code null} means the default TTL,
 * {@link Duration#ZERO} no expiry, a negative TTL is refused with an
 * {@link IllegalArgumentException} (so a function for values that may be past their own expiry
 * answers a small positive TTL, or the caller does not cache them). Called on the writing thread
 * before anything is sent; it must be fast and thread-safe, and what it throws fails the write.
 */
@FunctionalInterface
public interface TtlFunction {

	/**
	 * The TTL of {@code value} written under {@code key}.
	 * @param key the key, without the backend's prefix (for a bridge cache: the cache key's text, without the cache name)
	 * @param value the value being written, not {@code null}
	 * @return the entry's TTL; {@code null}: the default TTL, {@code ZERO}: no expiry, never negative
	 */
	@Nullable Duration ttl(String key, Object value);

}
