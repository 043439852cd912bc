package io.cachekit.core;

import org.jspecify.annotations.Nullable;

/**
 * A value could not be serialized, or stored bytes could not be deserialized. Thrown by
 * {@link CacheSerializer}s; always carries {@link ErrorCode#SERIALIZATION}.
 */
public class CacheSerializationException extends CacheException {

	private static final long serialVersionUID = 1L;

	/**
	 * A value that could not be written, or stored bytes that could not be read.
	 * @param message what could not be serialized or read
	 * @param cause the underlying exception, if any
	 */
	public CacheSerializationException(String message, @Nullable Throwable cause) {
		super(ErrorCode.SERIALIZATION, message, cause);
	}

}
