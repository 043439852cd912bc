package io.cachekit.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The contract's rules for arguments (contract.md), checked at the door with a message naming
 * the argument: one place for every backend, builder and layer, so that they refuse the same
 * input with the same words.
 */
public final class CacheArguments {

	private CacheArguments() {
	}

	/**
	 * {@code value}, when it is neither {@code null} nor empty.
	 * @param value the argument
	 * @param name its name, for the message
	 * @return {@code value}
	 * @throws IllegalArgumentException naming {@code name} otherwise
	 */
	public static String text(@Nullable String value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		if (value.isEmpty()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		return value;
	}

	/**
	 * {@code value}, when it is not {@code null}.
	 * @param <V> the argument's type
	 * @param value the argument
	 * @param name its name, for the message
	 * @return {@code value}
	 * @throws IllegalArgumentException naming {@code name} otherwise
	 */
	public static <V> V notNull(@Nullable V value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		return value;
	}

	/**
	 * A key prefix: not empty, so {@code clear()} and {@code invalidatePattern()} stay inside it.
	 * @param prefix the prefix
	 * @return {@code prefix}
	 * @throws IllegalArgumentException otherwise
	 */
	public static String prefix(@Nullable String prefix) {
		if (prefix == null || prefix.isEmpty()) {
			throw new IllegalArgumentException("prefix must not be empty: clear() and invalidatePattern() rely on it");
		}
		return prefix;
	}

	/**
	 * The milliseconds of a TTL argument: 0 for {@code ZERO} (no expiry), at least 1 when positive
	 * (a sub-millisecond TTL is rounded up, never to "no expiry").
	 * @param ttl the TTL, or {@code null}
	 * @param name its name, for the message
	 * @param whenNull what a {@code null} TTL means
	 * @return the milliseconds
	 * @throws IllegalArgumentException naming {@code name} when the TTL is negative
	 */
	public static long ttlMillis(@Nullable Duration ttl, String name, long whenNull) {
		if (ttl == null) {
			return whenNull;
		}
		if (ttl.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative but was " + ttl);
		}
		if (ttl.isZero()) {
			return 0;
		}
		long millis = ttl.toMillis();
		return (millis == 0) ? 1 : millis;
	}

	/**
	 * A duration setting that must be positive (a timeout, an interval).
	 * @param value the setting
	 * @param name its name, for the message
	 * @return {@code value}
	 * @throws IllegalArgumentException naming {@code name} when it is {@code null}, zero or negative
	 */
	public static Duration positive(@Nullable Duration value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + value);
		}
		return value;
	}

}
