package io.cachekit.core;

import org.jspecify.annotations.Nullable;

/** An unchecked failure of a cache operation, with the {@link ErrorCode} that classifies it. */
public class CacheException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** What kind of failure this is. */
	private final ErrorCode errorCode;

	/**
	 * A failure of the given kind.
	 * @param errorCode what kind of failure
	 * @param message what happened
	 * @param cause the underlying exception, if any
	 */
	public CacheException(ErrorCode errorCode, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.errorCode = errorCode;
	}

	/**
	 * A failure of the given kind, without a cause.
	 * @param errorCode what kind of failure
	 * @param message what happened
	 */
	public CacheException(ErrorCode errorCode, String message) {
		this(errorCode, message, null);
	}

	/**
	 * Why the operation failed.
	 * @return the error code
	 */
	public ErrorCode getErrorCode() {
		return this.errorCode;
	}

}
