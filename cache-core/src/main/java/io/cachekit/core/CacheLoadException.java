package io.cachekit.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A loader of {@code getOrLoad} failed with a checked exception (its cause), or answered
 * {@code null}. A loader's unchecked exceptions propagate as they are.
 */
public class CacheLoadException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * A failed load.
	 * @param message what happened (names the key, never the value)
	 * @param cause the loader's exception, if any
	 */
	public CacheLoadException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * Runs {@code loader} for {@code key} on this thread.
	 * @param <T> the value type
	 * @param key the key being loaded (for the message)
	 * @param loader the loader
	 * @return its value, never {@code null}
	 * @throws CacheLoadException when it throws a checked exception or answers {@code null}
	 */
	public static <T> T call(String key, Callable<? extends T> loader) {
		T value;
		try {
			value = loader.call();
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new CacheLoadException("loader of '" + key + "' failed", ex);
		}
		if (value == null) {
			throw new CacheLoadException("loader of '" + key + "' answered null", null);
		}
		return value;
	}

	/**
	 * Starts {@code loader} for {@code key} on this thread: a future of its value, failed with
	 * what it threw or a {@link CacheLoadException} when it (or its future) answered {@code null}.
	 * @param <T> the value type
	 * @param key the key being loaded (for the message)
	 * @param loader the loader
	 * @return a future of its value, never of {@code null}
	 */
	public static <T> CompletableFuture<T> start(String key, Supplier<? extends CompletionStage<? extends T>> loader) {
		CompletionStage<? extends T> stage;
		try {
			stage = loader.get();
		}
		catch (RuntimeException | Error ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (stage == null) {
			return CompletableFuture.failedFuture(new CacheLoadException("loader of '" + key + "' answered no future", null));
		}
		return stage.toCompletableFuture().thenApply((value) -> {
			if (value == null) {
				throw new CacheLoadException("loader of '" + key + "' answered null", null);
			}
			return value;
		});
	}

}
