package io.cachekit.core;

/** Why a cache operation failed. */
public enum ErrorCode {

	/** Redis could not be reached: connection refused, lost, or not yet established. */
	CONNECTION(true),

	/** Redis did not answer within the command timeout. */
	TIMEOUT(true),

	/** Calls are short-circuited because recent calls failed; Redis is tried again shortly. */
	CIRCUIT_OPEN(true),

	/** A value could not be written by, or a stored value could not be read by, the serializer. */
	SERIALIZATION(true),

	/**
	 * Redis answered with an error reply ({@code WRONGTYPE} and "not an integer" included), or
	 * with a reply of the wrong shape.
	 */
	REDIS_ERROR(true),

	/**
	 * The key holds a value of the wrong kind for the operation.
	 * @deprecated no longer produced: a {@code WRONGTYPE} error reply arrives after the command
	 * was sent, so it is a backend failure, {@link #REDIS_ERROR}, which fail-open absorbs
	 */
	@Deprecated
	WRONG_TYPE(false),

	/** The backend is not initialized, or already shut down (a programming error). */
	NOT_RUNNING(false);

	private final boolean backendFailure;

	ErrorCode(boolean backendFailure) {
		this.backendFailure = backendFailure;
	}

	/**
	 * Whether this is a backend failure, which fail-open mode absorbs, as opposed to a
	 * programming error, which throws in every mode.
	 * @return {@code true} for a backend failure
	 */
	public boolean isBackendFailure() {
		return this.backendFailure;
	}

}
