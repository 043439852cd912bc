package io.cachekit.inmemory;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The argument checks of the in-memory backend and its builder, in one place: the same rules and
 * messages as {@code RedisCacheBackend}'s, which {@code InMemoryArgumentsTest} holds them to.
 */
final class Arguments {

	private Arguments() {
	}

	/** {@code value}, or {@code IllegalArgumentException} when it is {@code null} or empty. */
	static String text(@Nullable String value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		if (value.isEmpty()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		return value;
	}

	/** {@code value}, or {@code IllegalArgumentException} when it is {@code null}. */
	static <V> V notNull(@Nullable V value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		return value;
	}

	/** A key prefix: not empty, so {@code clear()} and {@code invalidatePattern()} stay inside it. */
	static String prefix(@Nullable String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			throw new IllegalArgumentException("prefix must not be empty: clear() and invalidatePattern() rely on it");
		}
		return prefix;
	}

	/** A TTL in milliseconds: 0 for {@code ZERO} (no expiry), at least 1 otherwise; negative rejected. */
	static long ttlMillis(Duration ttl, String name) {
		if (ttl.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative but was " + ttl);
		}
		if (ttl.isZero()) {
			return 0;
		}
		long millis = ttl.toMillis();
		return (millis == 0) ? 1 : millis;
	}

}
