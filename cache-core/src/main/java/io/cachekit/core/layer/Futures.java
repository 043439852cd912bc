package io.cachekit.core.layer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The few things every layer and the bridge do with futures, written once: complete one future
 * from another, start work whose own throw becomes a failed future, and see through the wrappers
 * {@link CompletableFuture} puts around a failure.
 */
public final class Futures {

	private Futures() {
	}

	/**
	 * Completes {@code to} as {@code from} completes, with its value or its (unwrapped) failure.
	 * @param <T> the value type
	 * @param from the future whose outcome is relayed
	 * @param to the future completed with it
	 */
	public static <T> void relay(CompletableFuture<? extends T> from, CompletableFuture<T> to) {
		from.whenComplete((value, ex) -> {
			if (ex != null) {
				to.completeExceptionally(unwrap(ex));
			}
			else {
				to.complete(value);
			}
		});
	}

	/**
	 * The future {@code work} answers, or a future failed with what it threw.
	 * @param <T> the value type
	 * @param work starts the work
	 * @return its future
	 */
	public static <T> CompletableFuture<T> start(Supplier<? extends CompletableFuture<T>> work) {
		try {
			return work.get();
		}
		catch (RuntimeException | Error ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * What failed, without the {@link CompletionException} or {@link ExecutionException}
	 * {@link CompletableFuture} wraps it in.
	 * @param failure a future's failure
	 * @return its cause when it is such a wrapper with a cause, else {@code failure}
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
