package io.cachekit.core;

/**
 * What a backend does when Redis fails it: the connection is refused or lost, a command times
 * out, the circuit breaker is open, Redis answers with an error, or a stored value cannot be
 * read back.
 */
public enum FailureMode {

	/**
	 * A backend failure never escapes a cache-data operation: reads answer a miss, writes and
	 * deletes answer {@code false} or {@code 0}. Counters still throw, having no neutral answer.
	 * The default: a cache outage should not become an application outage.
	 */
	FAIL_OPEN,

	/** Backend failures throw {@link CacheException} carrying an {@link ErrorCode}. */
	FAIL_FAST

}
