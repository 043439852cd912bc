package io.cachekit.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;

/**
 * Builds an {@link InMemoryCacheBackend}: {@link InMemoryCacheBackend#builder()}. The settings
 * mirror {@code RedisCacheBackendBuilder}'s that an in-memory store has, with the same defaults
 * ({@link CacheDefaults}) and the same argument checks.
 *
 * @param <T> the value type, set by {@link #serializer(CacheSerializer)}
 */
public final class InMemoryCacheBackendBuilder<T> {

	private CacheSerializer<T> serializer;

	private String prefix = CacheDefaults.PREFIX;

	private Duration defaultTtl = CacheDefaults.TTL;

	private FailureMode failureMode = CacheDefaults.FAILURE_MODE;

	private boolean deleteUnreadableEntries = CacheDefaults.DELETE_UNREADABLE_ENTRIES;

	private final List<CacheLayer> layers = new ArrayList<>();

	private @Nullable InMemoryStore store;

	private @Nullable Clock clock;

	InMemoryCacheBackendBuilder(CacheSerializer<T> serializer) {
		this.serializer = serializer;
	}

	/**
	 * The serializer for values; the default is {@code CacheSerializers.json()}.
	 * @param <U> the value type
	 * @param serializer the value serializer
	 * @return this builder, for values of the serializer's type
	 */
	@SuppressWarnings("unchecked")
	public <U> InMemoryCacheBackendBuilder<U> serializer(CacheSerializer<U> serializer) {
		InMemoryCacheBackendBuilder<U> next = (InMemoryCacheBackendBuilder<U>) this;
		next.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
		return next;
	}

	/**
	 * The prefix of every key (default {@code cache:}); must not be empty, so clear() stays inside it.
	 * @param prefix the key prefix
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> prefix(String prefix) {
		this.prefix = CacheArguments.prefix(prefix);
		return this;
	}

	/**
	 * TTL of entries written without one (default 1 hour); {@code ZERO} means no expiry.
	 * @param defaultTtl the default TTL
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> defaultTtl(Duration defaultTtl) {
		CacheArguments.ttlMillis(Objects.requireNonNull(defaultTtl, "defaultTtl must not be null"), "defaultTtl", 0);
		this.defaultTtl = defaultTtl;
		return this;
	}

	/**
	 * What unreadable stored bytes do (default {@link FailureMode#FAIL_OPEN}: a miss); the only
	 * backend failure an in-memory store has.
	 * @param failureMode the failure mode
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> failureMode(FailureMode failureMode) {
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		return this;
	}

	/**
	 * Whether fail-open reads delete entries the serializer cannot read (default {@code true}).
	 * @param delete whether to delete them
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> deleteUnreadableEntries(boolean delete) {
		this.deleteUnreadableEntries = delete;
		return this;
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
	 * Adds a layer over the engine (or over the layer added before), as
	 * {@code RedisCacheBackendBuilder.layer} does: each operation of the backend and of its views
	 * goes through the layers, last added first.
	 * @param layer the layer
	 * @return this builder
	 */
	public InMemoryCacheBackendBuilder<T> layer(CacheLayer layer) {
		this.layers.add(Objects.requireNonNull(layer, "layer must not be null"));
		return this;
	}

	/**
	 * Builds the backend.
	 * @return a new backend
	 */
	public InMemoryCacheBackend<T> build() {
		InMemoryStore target = this.store;
		if (target == null) {
			target = (this.clock != null) ? new InMemoryStore(this.clock) : new InMemoryStore();
		}
		else if (this.clock != null && !this.clock.equals(target.clock())) {
			throw new IllegalStateException("clock and store are both set: a shared store keeps its own clock");
		}
		InMemoryEngine engine = new InMemoryEngine(target, this.prefix, this.defaultTtl, this.failureMode,
				this.deleteUnreadableEntries);
		return InMemoryCacheBackend.of(engine, this.serializer, this.layers);
	}

}
