package io.cachekit.spring.observation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.ErrorCode;
import io.micrometer.observation.Observation;

/** What is known about one cache operation, for the {@link CacheKitObservationConvention}. */
public class CacheKitObservationContext extends Observation.Context {

	/** {@link #getCacheName()} of a call on the backend itself, not through a named cache. */
	public static final String NO_CACHE = "none";

	private final String operation;

	private final String cacheName;

	private @Nullable String key;

	private @Nullable Duration ttl;

	private int items = -1;

	private int itemSize = -1;

	private @Nullable String outcome;

	private @Nullable Boolean hit;

	private @Nullable ErrorCode errorCode;

	/**
	 * {@link CacheKitMeterObservationHandler}'s state for this call, here rather than in the
	 * context's map (a put there allocates): the clock's monotonic time at the start, and the long
	 * task timer's sample ({@code Object}: micrometer-core is optional).
	 */
	long startNanos;

	@Nullable Object activeSample;

	/**
	 * A context for one operation.
	 * @param operation the operation as named in {@code CacheBackend}
	 * @param cacheName the bridge cache's name, or {@link #NO_CACHE}
	 */
	public CacheKitObservationContext(String operation, String cacheName) {
		this.operation = operation;
		this.cacheName = cacheName;
	}

	/**
	 * The operation as named in {@code CacheBackend}.
	 * @return the operation as named in {@code CacheBackend}
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * The bridge cache's name, or {@link #NO_CACHE}.
	 * @return the bridge cache's name, or {@link #NO_CACHE}
	 */
	public String getCacheName() {
		return this.cacheName;
	}

	/**
	 * The key (multi-key operations: the keys, comma-separated), or {@code null} when keys are not recorded.
	 * @return the key (multi-key operations: the keys, comma-separated), or {@code null} when keys are not recorded
	 */
	public @Nullable String getKey() {
		return this.key;
	}

	/**
	 * Sets the key (see the getter).
	 * @param key the new value
	 */
	public void setKey(@Nullable String key) {
		this.key = key;
	}

	/**
	 * The TTL asked for; {@code null} for the default TTL or an operation without one.
	 * @return the TTL asked for; {@code null} for the default TTL or an operation without one
	 */
	public @Nullable Duration getTtl() {
		return this.ttl;
	}

	/**
	 * Sets the ttl (see the getter).
	 * @param ttl the new value
	 */
	public void setTtl(@Nullable Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * Keys or members a multi-key operation handled, or -1.
	 * @return keys or members a multi-key operation handled, or -1
	 */
	public int getItems() {
		return this.items;
	}

	/**
	 * Sets the items (see the getter).
	 * @param items the new value
	 */
	public void setItems(int items) {
		this.items = items;
	}

	/**
	 * Bytes of a {@code byte[]} value, or -1 when not known.
	 * @return bytes of a {@code byte[]} value, or -1 when not known
	 */
	public int getItemSize() {
		return this.itemSize;
	}

	/**
	 * Sets the itemSize (see the getter).
	 * @param itemSize the new value
	 */
	public void setItemSize(int itemSize) {
		this.itemSize = itemSize;
	}

	/**
	 * {@code hit}, {@code miss}, {@code stored}, ...; {@code null} until the operation answered.
	 * @return {@code hit}, {@code miss}, {@code stored}, ...; {@code null} until the operation answered
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets the outcome (see the getter).
	 * @param outcome the new value
	 */
	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

	/**
	 * For reads, whether the value was found.
	 * @return for reads, whether the value was found
	 */
	public @Nullable Boolean getHit() {
		return this.hit;
	}

	/**
	 * Sets the hit (see the getter).
	 * @param hit the new value
	 */
	public void setHit(@Nullable Boolean hit) {
		this.hit = hit;
	}

	/**
	 * Why the operation failed (also when fail-open mode answered a neutral value), or {@code null}.
	 * @return why the operation failed (also when fail-open mode answered a neutral value), or {@code null}
	 */
	public @Nullable ErrorCode getErrorCode() {
		return this.errorCode;
	}

	/**
	 * Sets the errorCode (see the getter).
	 * @param errorCode the new value
	 */
	public void setErrorCode(@Nullable ErrorCode errorCode) {
		this.errorCode = errorCode;
	}

}
