package io.cachekit.inmemory;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;

/**
 * Values to stored bytes and back, with the errors of {@code RedisCacheBackend}: a value the
 * serializer cannot write is a {@link CacheSerializationException}; bytes it cannot read are one
 * in fail-fast mode and unreadable (empty) in fail-open mode. Pure: what happens to an unreadable
 * entry is the operation's decision.
 *
 * @param <T> the value type
 */
final class InMemoryCodec<T> {

	private final CacheSerializer<T> serializer;

	private final FailureMode failureMode;

	InMemoryCodec(CacheSerializer<T> serializer, FailureMode failureMode) {
		this.serializer = serializer;
		this.failureMode = failureMode;
	}

	/** The bytes of {@code value}, which must not be {@code null}. */
	byte[] encode(@Nullable T value) {
		T checked = CacheArguments.notNull(value, "value");
		try {
			return this.serializer.serialize(checked);
		}
		catch (CacheSerializationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CacheSerializationException("could not serialize a " + checked.getClass().getName(), ex);
		}
	}

	/** The value of {@code bytes} stored under {@code fullKey}, or empty when fail-open and they are unreadable. */
	Optional<T> decode(String operation, String fullKey, byte[] bytes) {
		try {
			return Optional.of(this.serializer.deserialize(bytes));
		}
		catch (RuntimeException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				String reason = (ex instanceof CacheSerializationException) ? ex.getMessage()
						: "could not read the value under '" + fullKey + "'";
				throw new CacheSerializationException(operation + " of '" + fullKey + "': " + reason,
						(ex instanceof CacheSerializationException) ? ex.getCause() : ex);
			}
			return Optional.empty();
		}
	}

}
