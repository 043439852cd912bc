package io.cachekit.spring;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache.ValueRetrievalException;

import io.cachekit.loading.LoadingLayer;

/**
 * One caller's value loader as the store's {@code getOrLoad} runs it: whether it ran for this
 * caller (a miss; a caller that shares another's load never runs its own) and what it threw, so
 * the caller's {@link ValueRetrievalException} carries the loader's own failure.
 */
final class LoadCall {

	private volatile boolean ran;

	private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

	/** Runs {@code loader}, remembering that it ran and what it threw. */
	<V> V call(Callable<V> loader) throws Exception {
		this.ran = true;
		try {
			return loader.call();
		}
		catch (Exception | Error ex) {
			this.failure.set(ex);
			throw ex;
		}
	}

	/** Starts {@code loader}, remembering that it ran; a loader that answers no future is refused. */
	<V> CompletableFuture<V> start(Supplier<CompletableFuture<V>> loader) {
		this.ran = true;
		CompletableFuture<V> loading = loader.get();
		if (loading == null) {
			throw new IllegalStateException("the value loader answered a null CompletableFuture");
		}
		return loading;
	}

	boolean ran() {
		return this.ran;
	}

	/** The loader's own failure when there is one, else {@code failure} (the store's, or a shared load's). */
	Throwable cause(RuntimeException failure) {
		Throwable own = this.failure.get();
		return (own != null) ? own : failure;
	}

	/**
	 * The outcome of {@code getOrLoad} for this caller, counted: a load of its own is a miss and
	 * a put, another caller's load or a stored value a hit. {@code stored} as {@code values} read it
	 * for {@code key} of {@code cache}: {@code null} when a value of another type than the reader
	 * expects is stored.
	 */
	@Nullable Optional<Object> outcome(Object stored, StoredValues values, String cache, String key,
			CacheCounters counters) {
		if (stored == LoadingLayer.NOTHING_TO_STORE) {
			counters.read(!this.ran);
			return Optional.of(stored);
		}
		Optional<Object> value = values.fromStore(Optional.of(stored), cache, key);
		counters.read(!this.ran && value.isPresent());
		if (value.isEmpty()) {
			return null;
		}
		if (this.ran) {
			counters.put();
		}
		return value;
	}

	/** Calls {@code loader} once more, outside the store (to replace a value of another type). */
	static <V> V again(Object key, Callable<V> loader) {
		try {
			return loader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, loader, ex);
		}
	}

}
