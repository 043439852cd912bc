package io.cachekit.core;

import org.jspecify.annotations.Nullable;

/**
 * A value could not be serialized, or stored bytes could not be deserialized. Thrown by
 * {@link CacheSerializer}s; always carries {@link ErrorCode#SERIALIZATION}.
 */
public class CacheSerializationException extends CacheException {

	private static final long serialVersionUID = 1L;

	public CacheSerializationException(String message, @Nullable Throwable cause) {
		super(ErrorCode.SERIALIZATION, message, cause);
	}

}
