package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.KeyPatterns;

/**
 * Key namespacing and argument validation: every stored key is {@code prefix + key}, and every
 * SCAN pattern starts with the escaped prefix, so no operation can reach outside it.
 */
final class Keys {

	private final String prefix;

	private final String escapedPrefix;

	private final long defaultTtlMillis;

	Keys(String prefix, Duration defaultTtl) {
		this.prefix = wellFormed(prefix, "prefix");
		this.escapedPrefix = KeyPatterns.escape(prefix);
		this.defaultTtlMillis = ttlMillis(defaultTtl, "defaultTtl", 0);
	}

	String prefix() {
		return this.prefix;
	}

	String key(@Nullable String key) {
		return this.prefix + check(key, "key");
	}

	String[] keys(@Nullable Collection<String> keys) {
		if (keys == null) {
			throw new IllegalArgumentException("keys must not be null");
		}
		String[] result = new String[keys.size()];
		int i = 0;
		for (String key : keys) {
			result[i] = this.prefix + check(key, "keys[" + i + "]");
			i++;
		}
		return result;
	}

	String unprefix(String redisKey) {
		return redisKey.substring(this.prefix.length());
	}

	/** A MATCH pattern for {@code glob} inside the prefix. */
	String pattern(@Nullable String glob) {
		return this.escapedPrefix + check(glob, "pattern");
	}

	/** Milliseconds for {@code ttl}: default when null, 0 for no expiry, at least 1 when positive. */
	long ttlMillis(@Nullable Duration ttl) {
		return (ttl != null) ? ttlMillis(ttl, "ttl", this.defaultTtlMillis) : this.defaultTtlMillis;
	}

	static long ttlMillis(@Nullable Duration ttl, String name, long whenNull) {
		return CacheArguments.ttlMillis(ttl, name, whenNull);
	}

	static String check(@Nullable String value, String name) {
		return wellFormed(CacheArguments.text(value, name), name);
	}

	/**
	 * A set member: not null, and valid UTF-16 for the same reason as a key (members are sent as
	 * UTF-8 too). May be empty: Redis stores an empty member.
	 */
	static String member(@Nullable String value, String name) {
		return wellFormed(notNull(value, name), name);
	}

	/**
	 * {@code value} itself, when it is valid UTF-16. A lone surrogate has no UTF-8 encoding: the
	 * encoder writes {@code '?'} instead, so {@code "k\uD800"} would silently read and write the
	 * key {@code "k?"}. One pass over the chars, nothing allocated: this is on every call's path.
	 */
	static String wellFormed(String value, String name) {
		int length = value.length();
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
					i++; // a well-formed pair: one supplementary character
					continue;
				}
				throw new IllegalArgumentException(name + " must be valid UTF-16 (lone surrogate at index " + i + ")");
			}
		}
		return value;
	}

	static <V> V notNull(@Nullable V value, String name) {
		return CacheArguments.notNull(value, name);
	}


}
