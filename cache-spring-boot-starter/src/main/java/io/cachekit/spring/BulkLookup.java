package io.cachekit.spring;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.NullValue;
import org.springframework.cache.support.SimpleValueWrapper;

import io.cachekit.core.CacheBackend;

/**
 * One bulk read of a {@link CacheKitCache} ({@link CacheKitCache#getAll}): the store's
 * {@code getAllOrLoad} under the cache's keys, values adapted as the cache adapts them (the null
 * marker, the reader's type), counted in the cache's counters.
 */
final class BulkLookup {

	/** A key a bulk loader left out, in a cache that does not cache nulls. */
	private static final Object NO_VALUE = new Object();

	private final String name;

	private final CacheKeyspace keys;

	private final CacheBackend<Object> store;

	private final StoredValues values;

	private final CacheCounters counters;

	private final @Nullable Duration ttl;

	private final boolean allowNulls;

	BulkLookup(String name, CacheKeyspace keys, CacheBackend<Object> store, StoredValues values, CacheCounters counters,
			@Nullable Duration ttl, boolean allowNulls) {
		this.name = name;
		this.keys = keys;
		this.store = store;
		this.values = values;
		this.counters = counters;
		this.ttl = ttl;
		this.allowNulls = allowNulls;
	}

	/** See {@link CacheKitCache#getAll}. */
	Map<Object, ValueWrapper> getAll(Collection<?> keys, Function<Set<Object>, ? extends @Nullable Map<?, ?>> loader,
			BiPredicate<Object, @Nullable Object> cacheable) {
		int capacity = keys.size() * 4 / 3 + 1;
		Map<String, Object> keyOf = new LinkedHashMap<>(capacity);
		for (Object key : keys) {
			keyOf.putIfAbsent(this.keys.key(key), key);
		}
		Map<String, Object> ownLoads = new LinkedHashMap<>();
		Map<String, Object> stored = this.store.getAllOrLoad(keyOf.keySet(),
				(missing) -> storable(missing, keyOf, loader, cacheable, ownLoads), this.ttl);
		Map<Object, ValueWrapper> answer = new LinkedHashMap<>(capacity);
		Map<String, Object> otherType = new LinkedHashMap<>();
		keyOf.forEach((storeKey, key) -> {
			Object value;
			if (ownLoads.containsKey(storeKey)) {
				value = ownLoads.get(storeKey);
			}
			else {
				Object found = stored.get(storeKey);
				if (found == null) {
					return;
				}
				Optional<Object> read = this.values.fromStore(Optional.of(found), this.name, storeKey);
				this.counters.read(read.isPresent());
				if (read.isEmpty()) {
					otherType.put(storeKey, key);
					return;
				}
				value = read.get();
			}
			if (value != NO_VALUE) {
				answer.put(key, wrap(value));
			}
		});
		if (!otherType.isEmpty()) {
			// another type under these keys: the loader's values replace them
			Map<String, Object> again = new LinkedHashMap<>();
			Map<String, Object> replaced = storable(otherType.keySet(), otherType, loader, cacheable, again);
			if (!replaced.isEmpty()) {
				this.store.setMany(replaced, this.ttl);
			}
			Map<Object, ValueWrapper> merged = new LinkedHashMap<>();
			keyOf.forEach((storeKey, key) -> {
				Object value = again.get(storeKey);
				if (value != null && value != NO_VALUE) {
					merged.put(key, wrap(value));
				}
				else if (answer.containsKey(key)) {
					merged.put(key, answer.get(key));
				}
			});
			return merged;
		}
		return answer;
	}

	/**
	 * Calls {@code loader} for the {@code missing} store keys and answers what the store keeps of
	 * its values; each loaded value (as Spring's store value, or {@link #NO_VALUE}) is recorded in
	 * {@code ownLoads}, counted as a miss.
	 */
	private Map<String, Object> storable(Set<String> missing, Map<String, Object> keyOf,
			Function<Set<Object>, ? extends @Nullable Map<?, ?>> loader, BiPredicate<Object, @Nullable Object> cacheable,
			Map<String, Object> ownLoads) {
		Set<Object> asked = new LinkedHashSet<>();
		missing.forEach((storeKey) -> asked.add(keyOf.get(storeKey)));
		Map<?, ?> loaded = loader.apply(Collections.unmodifiableSet(asked));
		Map<String, Object> storable = new LinkedHashMap<>();
		for (String storeKey : missing) {
			Object key = keyOf.get(storeKey);
			Object value = (loaded != null) ? loaded.get(key) : null;
			this.counters.read(false);
			boolean keep = cacheable.test(key, value);
			if (value == null && !this.allowNulls) {
				ownLoads.put(storeKey, NO_VALUE);
				continue;
			}
			Object storeValue = (value != null) ? value : NullValue.INSTANCE;
			ownLoads.put(storeKey, storeValue);
			if (keep) {
				storable.put(storeKey, this.values.toStore(storeValue));
				this.counters.put();
			}
		}
		return storable;
	}

	/** Spring's wrapper of a store value ({@link NullValue} for a cached {@code null}). */
	private static ValueWrapper wrap(Object storeValue) {
		return new SimpleValueWrapper((storeValue == NullValue.INSTANCE) ? null : storeValue);
	}

}
