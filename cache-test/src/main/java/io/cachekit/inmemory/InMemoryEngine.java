package io.cachekit.inmemory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.FailureMode;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.KeyPatterns;
import io.cachekit.core.layer.CacheEngine;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * What a backend and its views share: the store, the prefix, the default TTL and what unreadable
 * bytes do. It turns the callers' keys and TTLs into the store's (with the checks and messages of
 * {@code RedisCacheBackend}) and builds the stacks of levels over it, one per serializer.
 */
final class InMemoryEngine implements CacheEngine {

	/** Where the engine stores, for messages. */
	static final String TARGET = "the in-memory store";

	private final InMemoryStore store;

	private final String prefix;

	private final String escapedPrefix;

	private final Glob all;

	private final Duration defaultTtl;

	private final long defaultTtlMillis;

	private final FailureMode failureMode;

	private final boolean deleteUnreadableEntries;

	InMemoryEngine(InMemoryStore store, String prefix, Duration defaultTtl, FailureMode failureMode,
			boolean deleteUnreadableEntries) {
		this.store = store;
		this.prefix = prefix;
		this.escapedPrefix = KeyPatterns.escape(prefix);
		this.all = Glob.compile(this.escapedPrefix + "*");
		this.defaultTtl = defaultTtl;
		this.defaultTtlMillis = CacheArguments.ttlMillis(defaultTtl, "defaultTtl", 0);
		this.failureMode = failureMode;
		this.deleteUnreadableEntries = deleteUnreadableEntries;
	}

	@Override
	public <T> CacheLevel<T> level(CacheSerializer<T> serializer) {
		return new InMemoryLevel<>(this, serializer);
	}

	@Override
	public <T> LayerContext<T> context(CacheSerializer<T> serializer) {
		return new InMemoryLayerContext<>(this, serializer);
	}

	InMemoryStore store() {
		return this.store;
	}

	String prefix() {
		return this.prefix;
	}

	@Override
	public Duration defaultTtl() {
		return this.defaultTtl;
	}

	FailureMode failureMode() {
		return this.failureMode;
	}

	boolean deleteUnreadableEntries() {
		return this.deleteUnreadableEntries;
	}

	/** Every key of this prefix. */
	Glob all() {
		return this.all;
	}

	/** The stored key of {@code key}. */
	String key(@Nullable String key) {
		return this.prefix + CacheArguments.text(key, "key");
	}

	/** The stored key of one key of a batch, checked under {@code name}. */
	String key(@Nullable String key, String name) {
		return this.prefix + CacheArguments.text(key, name);
	}

	/** The stored keys of {@code keys}, in order. */
	List<String> keys(@Nullable Collection<String> keys) {
		CacheArguments.notNull(keys, "keys");
		List<String> result = new ArrayList<>(keys.size());
		int i = 0;
		for (String key : keys) {
			result.add(key(key, "keys[" + i + "]"));
			i++;
		}
		return result;
	}

	/** The caller's key of a stored one. */
	String unprefixed(String storedKey) {
		return storedKey.substring(this.prefix.length());
	}

	/** {@code pattern} (Redis glob syntax) inside the prefix. */
	Glob pattern(@Nullable String pattern) {
		return Glob.compile(this.escapedPrefix + CacheArguments.text(pattern, "pattern"));
	}

	/** {@code ttl} in milliseconds, {@code null} meaning the default TTL. */
	long ttlMillis(@Nullable Duration ttl) {
		return (ttl != null) ? CacheArguments.ttlMillis(ttl, "ttl", 0) : this.defaultTtlMillis;
	}

}
