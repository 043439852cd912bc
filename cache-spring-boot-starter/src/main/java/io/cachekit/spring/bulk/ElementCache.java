package io.cachekit.spring.bulk;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.SimpleValueWrapper;

import io.cachekit.spring.CacheKitCache;

/**
 * One cache as {@link BulkCacheable} uses it: the values of several keys, those missing loaded in
 * one call. A {@link CacheKitCache} does it in one read and one write ({@link CacheKitCache#getAll});
 * any other {@link Cache} (another cache manager's, a transaction-aware decorator) key by key
 * through Spring's API.
 */
@FunctionalInterface
interface ElementCache {

	/** See {@link CacheKitCache#getAll}. */
	Map<Object, ValueWrapper> getAll(Collection<?> keys, Function<Set<Object>, ? extends @Nullable Map<?, ?>> loader,
			BiPredicate<Object, @Nullable Object> cacheable);

	/** {@code cache} read as a method returning values of {@code valueType} reads it. */
	static ElementCache of(Cache cache, Class<?> valueType) {
		if (cache instanceof CacheKitCache kit) {
			Cache typed = kit.forValueType(valueType);
			return ((CacheKitCache) typed)::getAll;
		}
		return (keys, loader, cacheable) -> keyByKey(cache, keys, loader, cacheable);
	}

	private static Map<Object, ValueWrapper> keyByKey(Cache cache, Collection<?> keys,
			Function<Set<Object>, ? extends @Nullable Map<?, ?>> loader, BiPredicate<Object, @Nullable Object> cacheable) {
		Map<Object, @Nullable ValueWrapper> found = new LinkedHashMap<>();
		Set<Object> missing = new LinkedHashSet<>();
		for (Object key : keys) {
			if (!found.containsKey(key)) {
				ValueWrapper value = cache.get(key);
				found.put(key, value);
				if (value == null) {
					missing.add(key);
				}
			}
		}
		if (!missing.isEmpty()) {
			Map<?, ?> loaded = loader.apply(Collections.unmodifiableSet(missing));
			boolean nulls = !(cache instanceof AbstractValueAdaptingCache adapting) || adapting.isAllowNullValues();
			for (Object key : missing) {
				Object value = (loaded != null) ? loaded.get(key) : null;
				if (value != null || nulls) {
					found.put(key, new SimpleValueWrapper(value));
					if (cacheable.test(key, value)) {
						cache.put(key, value);
					}
				}
			}
		}
		Map<Object, ValueWrapper> answer = new LinkedHashMap<>();
		found.forEach((key, value) -> {
			if (value != null) {
				answer.put(key, value);
			}
		});
		return answer;
	}

}
