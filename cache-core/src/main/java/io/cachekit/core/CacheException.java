package io.cachekit.core;

import org.jspecify.annotations.Nullable;

/** An unchecked failure of a cache operation, with the {@link ErrorCode} that classifies it. */
public class CacheException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final ErrorCode errorCode;

	public CacheException(ErrorCode errorCode, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.errorCode = errorCode;
	}

	public CacheException(ErrorCode errorCode, String message) {
		this(errorCode, message, null);
	}

	/** Why the operation failed. */
	public ErrorCode getErrorCode() {
		return this.errorCode;
	}

}
