package io.cachekit.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The rules of {@code getAllOrLoad}, written once for every face and level: the distinct keys of
 * a request, what a loader's answer stores (the values of the keys it was asked for, {@code null}
 * values left out), and the answer in request order.
 */
public final class BulkLoad {

	private BulkLoad() {
	}

	/**
	 * The distinct keys of a request, in their first order.
	 * @param keys the keys asked for
	 * @return them without repeats, unmodifiable
	 * @throws IllegalArgumentException when {@code keys} or one of them is {@code null}
	 */
	public static Set<String> distinct(@Nullable Collection<String> keys) {
		if (keys == null) {
			throw new IllegalArgumentException("keys must not be null");
		}
		Set<String> distinct = new LinkedHashSet<>(keys.size() * 2);
		for (String key : keys) {
			if (key == null) {
				throw new IllegalArgumentException("keys must not contain null");
			}
			distinct.add(key);
		}
		return Collections.unmodifiableSet(distinct);
	}

	/**
	 * The keys of {@code asked} not in {@code found}, in order.
	 * @param asked the keys asked for
	 * @param found what was found
	 * @return the missing keys, unmodifiable
	 */
	public static Set<String> missing(Set<String> asked, Map<String, ?> found) {
		Set<String> missing = new LinkedHashSet<>();
		for (String key : asked) {
			if (!found.containsKey(key)) {
				missing.add(key);
			}
		}
		return Collections.unmodifiableSet(missing);
	}

	/**
	 * What a loader's {@code answer} for {@code asked} stores: the non-null values of the keys it
	 * was asked for (other keys are ignored).
	 * @param <T> the value type
	 * @param asked the keys the loader was given
	 * @param answer what it answered
	 * @return the values to store, in {@code asked}'s order
	 * @throws CacheLoadException when {@code answer} is {@code null}
	 */
	public static <T> Map<String, T> loaded(Set<String> asked, @Nullable Map<String, ? extends T> answer) {
		if (answer == null) {
			throw new CacheLoadException("loader of " + asked.size() + " keys answered null", null);
		}
		Map<String, T> loaded = new LinkedHashMap<>();
		for (String key : asked) {
			T value = answer.get(key);
			if (value != null) {
				loaded.put(key, value);
			}
		}
		return loaded;
	}

	/**
	 * Starts {@code loader} for {@code asked} on this thread: a future of what it loaded (see
	 * {@link #loaded}), failed with what it threw or a {@link CacheLoadException} when it answered
	 * no future or {@code null}.
	 * @param <T> the value type
	 * @param asked the keys to load
	 * @param loader the loader
	 * @return a future of the values to store
	 */
	public static <T> CompletableFuture<Map<String, T>> start(Set<String> asked,
			Function<? super Set<String>, ? extends @Nullable CompletionStage<? extends @Nullable Map<String, ? extends T>>> loader) {
		CompletionStage<? extends @Nullable Map<String, ? extends T>> stage;
		try {
			stage = loader.apply(asked);
		}
		catch (RuntimeException | Error ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (stage == null) {
			return CompletableFuture.failedFuture(
					new CacheLoadException("loader of " + asked.size() + " keys answered no future", null));
		}
		return stage.toCompletableFuture().thenApply((answer) -> loaded(asked, answer));
	}

	/**
	 * The answer of {@code getAllOrLoad}: the value of each key of {@code keys} found or loaded,
	 * in request order; a key with neither is left out.
	 * @param <T> the value type
	 * @param keys the distinct keys asked for
	 * @param found the values found
	 * @param loaded the values loaded
	 * @return the answer
	 */
	public static <T> Map<String, T> answer(Set<String> keys, Map<String, ? extends T> found,
			Map<String, ? extends T> loaded) {
		Map<String, T> answer = new LinkedHashMap<>(keys.size() * 4 / 3 + 1);
		for (String key : keys) {
			T value = found.get(key);
			if (value == null) {
				value = loaded.get(key);
			}
			if (value != null) {
				answer.put(key, value);
			}
		}
		return answer;
	}

}
