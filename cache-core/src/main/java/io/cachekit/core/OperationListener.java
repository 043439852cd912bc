package io.cachekit.core;

import org.jspecify.annotations.Nullable;

/**
 * Told about every operation a backend performs, for metrics. Called on the thread that
 * completed the operation (often a Redis I/O thread): implementations must be fast and must not
 * block or throw.
 */
@FunctionalInterface
public interface OperationListener {

	/** A listener that does nothing. */
	OperationListener NONE = (operation, durationNanos, error) -> {
	};

	/**
	 * One operation finished.
	 * @param operation the operation's name as in {@link CacheBackend} ({@code get}, {@code setMany}, ...)
	 * @param durationNanos how long it took
	 * @param error why it failed, or {@code null} when it succeeded
	 */
	void onOperation(String operation, long durationNanos, @Nullable ErrorCode error);

}
