package io.cachekit.spring;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.NullValue;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;

/**
 * How one Spring cache's values look in its store, and which it accepts when read: Spring's
 * {@link NullValue} as a text marker where the store's serializer is not the bridge's own (a
 * backend that is not layered), and for a typed reader ({@link CacheKitCache#forValueType}) a
 * stored value of another type as a miss (fail-open) or a {@link CacheException} (fail-fast).
 */
final class StoredValues {

	/**
	 * Stored for a cached {@code null} when the bridge cannot wrap the backend's serializer: no
	 * method result is this string.
	 */
	static final String TEXT_NULL_MARKER = "\u0000cachekit:null";

	private final FailureMode failureMode;

	private final boolean textNullMarker;

	private final @Nullable Class<?> type;

	private StoredValues(FailureMode failureMode, boolean textNullMarker, @Nullable Class<?> type) {
		this.failureMode = failureMode;
		this.textNullMarker = textNullMarker;
		this.type = type;
	}

	/** Values of any type, a cached null stored as {@link #TEXT_NULL_MARKER} when {@code textNullMarker}. */
	static StoredValues of(FailureMode failureMode, boolean textNullMarker) {
		return new StoredValues(failureMode, textNullMarker, null);
	}

	/** These values read by a caller that expects {@code type}. */
	StoredValues expecting(Class<?> type) {
		return new StoredValues(this.failureMode, this.textNullMarker, type);
	}

	@Nullable Class<?> type() {
		return this.type;
	}

	/** What the store keeps for Spring's store value (a {@link NullValue} included). */
	Object toStore(Object storeValue) {
		return (this.textNullMarker && storeValue == NullValue.INSTANCE) ? TEXT_NULL_MARKER : storeValue;
	}

	/**
	 * Spring's store value of what the store answered for {@code key} of cache {@code cache}:
	 * empty for a miss, or for a value of another type than the reader expects in fail-open mode.
	 */
	Optional<Object> fromStore(Optional<Object> stored, String cache, String key) {
		if (stored.isEmpty()) {
			return stored;
		}
		Object value = (this.textNullMarker && TEXT_NULL_MARKER.equals(stored.get())) ? NullValue.INSTANCE : stored.get();
		if (this.type == null || value instanceof NullValue || this.type.isInstance(value)) {
			return Optional.of(value);
		}
		if (this.failureMode == FailureMode.FAIL_FAST) {
			throw new CacheException(ErrorCode.SERIALIZATION, "cache '" + cache + "' holds a " + value.getClass().getName()
					+ " under '" + key + "' where a " + this.type.getName() + " is expected");
		}
		return Optional.empty();
	}

}
