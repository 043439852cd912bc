package io.cachekit.inmemory;

import java.time.Clock;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.LayeredCacheBackendBuilder;

/**
 * Builds an {@link InMemoryCacheBackend}: {@link InMemoryCacheBackend#builder()}. The settings
 * mirror {@code RedisCacheBackendBuilder}'s that an in-memory store has, with the same defaults
 * ({@link CacheDefaults}) and the same argument checks.
 *
 * @param <T> the value type, set by {@link #serializer(CacheSerializer)}
 */
public final class InMemoryCacheBackendBuilder<T>
		extends LayeredCacheBackendBuilder<T, InMemoryCacheBackendBuilder<T>> {

	private @Nullable InMemoryStore store;

	private @Nullable Clock clock;

	InMemoryCacheBackendBuilder(CacheSerializer<T> serializer) {
		super(serializer);
	}

	/**
	 * The serializer for values; the default is {@code CacheSerializers.json()}.
	 * @param <U> the value type
	 * @param serializer the value serializer
	 * @return this builder, for values of the serializer's type
	 */
	public <U> InMemoryCacheBackendBuilder<U> serializer(CacheSerializer<U> serializer) {
		return retyped(serializer);
	}

	/**
	 * The store to keep entries in, shared with other backends (as several backends share one
	 * Redis); by default each backend gets a store of its own.
	 * @param store the store to share
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> store(InMemoryStore store) {
		this.store = Objects.requireNonNull(store, "store must not be null");
		return this;
	}

	/**
	 * The clock that decides expiry, for a store of this backend's own (for example a
	 * {@link ManualClock}); a shared {@link #store(InMemoryStore) store} has its own clock.
	 * @param clock the clock
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		return this;
	}

	/**
	 * Builds the backend.
	 * @return a new backend
	 */
	@Override
	public InMemoryCacheBackend<T> build() {
		InMemoryStore target = this.store;
		if (target == null) {
			target = (this.clock != null) ? new InMemoryStore(this.clock) : new InMemoryStore();
		}
		else if (this.clock != null && !this.clock.equals(target.clock())) {
			throw new IllegalStateException("clock and store are both set: a shared store keeps its own clock");
		}
		InMemoryEngine engine = new InMemoryEngine(target, prefix(), defaultTtl(), failureMode(), deleteUnreadableEntries());
		return new InMemoryCacheBackend<>(engine, serializer(), layers());
	}

}
