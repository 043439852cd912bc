package io.cachekit.core.layer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.TtlFunction;

/**
 * What builders of {@link LayeredCacheBackend}s share: the serializer, the key prefix, the
 * default TTL, the failure mode, whether unreadable entries are deleted, and the layers. Every
 * setting has a default ({@link CacheDefaults}); arguments are checked here, with messages naming
 * the setting, so every engine checks them alike.
 *
 * @param <T> the value type, set by the builder's {@code serializer(..)}
 * @param <B> the builder's own type
 */
public abstract class LayeredCacheBackendBuilder<T, B extends LayeredCacheBackendBuilder<T, B>> {

	private CacheSerializer<T> serializer;

	private String prefix = CacheDefaults.PREFIX;

	private Duration defaultTtl = CacheDefaults.TTL;

	private FailureMode failureMode = CacheDefaults.FAILURE_MODE;

	private boolean deleteUnreadableEntries = CacheDefaults.DELETE_UNREADABLE_ENTRIES;

	private final List<CacheLayer> layers = new ArrayList<>();

	private @Nullable TtlFunction ttlFunction;

	/**
	 * A builder with every default and {@code serializer}.
	 * @param serializer the value serializer
	 */
	protected LayeredCacheBackendBuilder(CacheSerializer<T> serializer) {
		this.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
	}

	/**
	 * This builder, for values of {@code serializer}'s type: what a builder's
	 * {@code serializer(..)} answers.
	 * @param <U> the new value type
	 * @param <C> the builder's type for that value type
	 * @param serializer the value serializer
	 * @return this builder
	 */
	@SuppressWarnings("unchecked")
	protected final <U, C extends LayeredCacheBackendBuilder<U, C>> C retyped(CacheSerializer<U> serializer) {
		LayeredCacheBackendBuilder<U, C> next = (LayeredCacheBackendBuilder<U, C>) this;
		next.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
		return (C) next;
	}

	@SuppressWarnings("unchecked")
	private B self() {
		return (B) this;
	}

	/**
	 * The prefix of every key (default {@code cache:}); must not be empty, so clear() stays inside it.
	 * @param prefix the key prefix
	 * @return this builder
	 */
	public B prefix(String prefix) {
		this.prefix = CacheArguments.prefix(prefix);
		return self();
	}

	/**
	 * TTL of entries written without one (default 1 hour); {@code ZERO} means no expiry.
	 * @param defaultTtl the default TTL
	 * @return this builder
	 */
	public B defaultTtl(Duration defaultTtl) {
		CacheArguments.ttlMillis(Objects.requireNonNull(defaultTtl, "defaultTtl must not be null"), "defaultTtl", 0);
		this.defaultTtl = defaultTtl;
		return self();
	}

	/**
	 * What an outage does to callers (default {@link FailureMode#FAIL_OPEN}); for an engine
	 * without outages (the in-memory store), what unreadable stored bytes do.
	 * @param failureMode the failure mode
	 * @return this builder
	 */
	public B failureMode(FailureMode failureMode) {
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		return self();
	}

	/**
	 * Whether a stored value that cannot be read is deleted when read in fail-open mode (default true).
	 * @param delete whether to delete them
	 * @return this builder
	 */
	public B deleteUnreadableEntries(boolean delete) {
		this.deleteUnreadableEntries = delete;
		return self();
	}

	/**
	 * Adds a layer over the engine (or over the layer added before): each operation of the
	 * backend and of its views goes through the layers, last added first. Lowest first: a near
	 * cache before load-through.
	 * @param layer the layer
	 * @return this builder
	 */
	public B layer(CacheLayer layer) {
		this.layers.add(Objects.requireNonNull(layer, "layer must not be null"));
		return self();
	}

	/**
	 * The TTL of entries written without one, from their key and value (default none: the default
	 * TTL); {@code null} removes it. Goes into the stack as a {@link TtlFunctionLayer}, lowest.
	 * @param ttlFunction the TTL of an entry from its key and value, or {@code null}
	 * @return this builder
	 */
	public B ttlFunction(@Nullable TtlFunction ttlFunction) {
		this.ttlFunction = ttlFunction;
		return self();
	}

	/**
	 * Builds the backend.
	 * @return a new backend
	 */
	public abstract LayeredCacheBackend<T> build();

	/**
	 * The value serializer.
	 * @return the serializer
	 */
	protected CacheSerializer<T> serializer() {
		return this.serializer;
	}

	/**
	 * The key prefix.
	 * @return the prefix
	 */
	protected String prefix() {
		return this.prefix;
	}

	/**
	 * The default TTL.
	 * @return the default TTL
	 */
	protected Duration defaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * The failure mode.
	 * @return the failure mode
	 */
	protected FailureMode failureMode() {
		return this.failureMode;
	}

	/**
	 * Whether unreadable entries are deleted.
	 * @return whether to delete them
	 */
	protected boolean deleteUnreadableEntries() {
		return this.deleteUnreadableEntries;
	}

	/**
	 * The layers, lowest first: the {@link #ttlFunction TTL function}'s first when there is one.
	 * @return a copy of the layers
	 */
	protected List<CacheLayer> layers() {
		TtlFunction function = this.ttlFunction;
		if (function == null) {
			return List.copyOf(this.layers);
		}
		List<CacheLayer> all = new ArrayList<>(this.layers.size() + 1);
		all.add(TtlFunctionLayer.of(function));
		all.addAll(this.layers);
		return List.copyOf(all);
	}

}
