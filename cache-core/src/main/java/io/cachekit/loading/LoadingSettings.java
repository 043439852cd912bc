package io.cachekit.loading;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link LoadingLayer}; every change answers a new instance, checked at
 * the door. The defaults ({@link #defaults()}) coalesce loads under a lease and add nothing else:
 * entries stay plain values.
 */
public final class LoadingSettings {

	/** Default lease time: 10 s. */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(10);

	/** Default XFetch beta: {@value}. */
	public static final double DEFAULT_BETA = 1.0;

	private static final LoadingSettings DEFAULTS = new LoadingSettings();

	private Duration leaseTime;

	private @Nullable Duration leaseWait;

	private boolean earlyRefresh;

	private double beta;

	private Duration staleGrace;

	private @Nullable Duration staleLoadTimeout;

	private double ttlJitter;

	private @Nullable Duration timeToIdle;

	private @Nullable Executor executor;

	private boolean tags;

	// set only on a fresh copy, before it is returned: instances never change once published
	private LoadingSettings() {
		this.leaseTime = DEFAULT_LEASE_TIME;
		this.beta = DEFAULT_BETA;
		this.staleGrace = Duration.ZERO;
	}

	private LoadingSettings copy(Consumer<LoadingSettings> change) {
		LoadingSettings copy = new LoadingSettings();
		copy.leaseTime = this.leaseTime;
		copy.leaseWait = this.leaseWait;
		copy.earlyRefresh = this.earlyRefresh;
		copy.beta = this.beta;
		copy.staleGrace = this.staleGrace;
		copy.staleLoadTimeout = this.staleLoadTimeout;
		copy.ttlJitter = this.ttlJitter;
		copy.timeToIdle = this.timeToIdle;
		copy.executor = this.executor;
		copy.tags = this.tags;
		change.accept(copy);
		return copy;
	}

	/**
	 * Lease time 10 s, lease wait the lease time, no early refresh (beta 1.0 when turned on), no
	 * stale grace, no jitter, no time-to-idle, loads on CacheKit's loader threads.
	 * @return the default settings
	 */
	public static LoadingSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * How long a loader's lease lasts: the longest a holder that died blocks others.
	 * @param leaseTime positive
	 * @return a copy with that lease time
	 */
	public LoadingSettings withLeaseTime(Duration leaseTime) {
		Duration value = positive(leaseTime, "leaseTime");
		return copy((s) -> s.leaseTime = value);
	}

	/**
	 * How long a caller waits for the value while another instance holds the lease, before it
	 * loads for itself; {@code null}: the lease time.
	 * @param leaseWait not negative, or {@code null}
	 * @return a copy with that lease wait
	 */
	public LoadingSettings withLeaseWait(@Nullable Duration leaseWait) {
		if (leaseWait != null) {
			notNegative(leaseWait, "leaseWait");
		}
		return copy((s) -> s.leaseWait = leaseWait);
	}

	/**
	 * Whether reads refresh entries early (XFetch) in the background; entries then carry their
	 * recompute time and logical expiry (see the README's entry format).
	 * @param earlyRefresh whether to refresh early
	 * @return a copy with that setting
	 */
	public LoadingSettings withEarlyRefresh(boolean earlyRefresh) {
		return copy((s) -> s.earlyRefresh = earlyRefresh);
	}

	/**
	 * XFetch's beta: above 1 refreshes earlier, below 1 later.
	 * @param beta positive and finite
	 * @return a copy with that beta
	 */
	public LoadingSettings withBeta(double beta) {
		if (!(beta > 0) || Double.isInfinite(beta)) {
			throw new IllegalArgumentException("beta must be positive and finite but was " + beta);
		}
		return copy((s) -> s.beta = beta);
	}

	/**
	 * How long after its logical expiry an entry is still served when the loader fails.
	 * {@code ZERO}: never.
	 * @param staleGrace not negative
	 * @return a copy with that grace
	 */
	public LoadingSettings withStaleGrace(Duration staleGrace) {
		Duration value = notNegative(staleGrace, "staleGrace");
		return copy((s) -> s.staleGrace = value);
	}

	/**
	 * Longest a caller that holds a stale value (within the stale grace) waits for its reload
	 * before it answers the stale value (counted as stale served; the load goes on and stores its
	 * value when done); {@code null}: as long as the load takes.
	 * @param staleLoadTimeout positive, or {@code null}
	 * @return a copy with that timeout
	 */
	public LoadingSettings withStaleLoadTimeout(@Nullable Duration staleLoadTimeout) {
		Duration value = (staleLoadTimeout != null) ? positive(staleLoadTimeout, "staleLoadTimeout") : null;
		return copy((s) -> s.staleLoadTimeout = value);
	}

	/**
	 * Fraction of each TTL taken off at random, so entries written together expire over
	 * {@code [ttl * (1 - jitter), ttl]}. 0: none.
	 * @param ttlJitter from 0 (inclusive) to 1 (exclusive)
	 * @return a copy with that jitter
	 */
	public LoadingSettings withTtlJitter(double ttlJitter) {
		if (!(ttlJitter >= 0 && ttlJitter < 1)) {
			throw new IllegalArgumentException("ttlJitter must be at least 0 and below 1 but was " + ttlJitter);
		}
		return copy((s) -> s.ttlJitter = ttlJitter);
	}

	/**
	 * Each hit resets the entry's TTL to this (GETEX), so an entry not read for this long
	 * expires; {@code null}: hits leave TTLs alone.
	 * @param timeToIdle positive, or {@code null}
	 * @return a copy with that time-to-idle
	 */
	public LoadingSettings withTimeToIdle(@Nullable Duration timeToIdle) {
		Duration value = (timeToIdle != null) ? positive(timeToIdle, "timeToIdle") : null;
		return copy((s) -> s.timeToIdle = value);
	}

	/**
	 * Where async loaders are called and background refreshes run; {@code null}: CacheKit's
	 * own daemon loader threads.
	 * @param executor the executor, or {@code null}
	 * @return a copy with that executor
	 */
	public LoadingSettings withExecutor(@Nullable Executor executor) {
		return copy((s) -> s.executor = executor);
	}

	/**
	 * How long a loader's lease lasts.
	 * @return the lease time
	 */
	public Duration getLeaseTime() {
		return this.leaseTime;
	}

	/**
	 * How long a caller waits for another instance's load.
	 * @return the lease wait (the lease time unless set)
	 */
	public Duration getLeaseWait() {
		return (this.leaseWait != null) ? this.leaseWait : this.leaseTime;
	}

	/**
	 * Whether reads refresh entries early.
	 * @return whether early refresh is on
	 */
	public boolean isEarlyRefresh() {
		return this.earlyRefresh;
	}

	/**
	 * XFetch's beta.
	 * @return beta
	 */
	public double getBeta() {
		return this.beta;
	}

	/**
	 * How long after logical expiry an entry is served when the loader fails.
	 * @return the grace ({@code ZERO}: none)
	 */
	public Duration getStaleGrace() {
		return this.staleGrace;
	}

	/**
	 * Longest a caller holding a stale value waits for its reload.
	 * @return the timeout, or {@code null} for as long as the load takes
	 */
	public @Nullable Duration getStaleLoadTimeout() {
		return this.staleLoadTimeout;
	}

	/**
	 * Fraction of each TTL taken off at random.
	 * @return the jitter
	 */
	public double getTtlJitter() {
		return this.ttlJitter;
	}

	/**
	 * The TTL each hit resets an entry to.
	 * @return the time-to-idle, or {@code null}
	 */
	public @Nullable Duration getTimeToIdle() {
		return this.timeToIdle;
	}

	/**
	 * Where async loaders and background refreshes run.
	 * @return the executor, or {@code null} for CacheKit's loader threads
	 */
	public @Nullable Executor getExecutor() {
		return this.executor;
	}

	/**
	 * Whether entries are stored in the envelope of early refresh and stale grace.
	 * @return whether entries carry their logical expiry and recompute time
	 */
	public boolean usesEnvelope() {
		return this.earlyRefresh || !this.staleGrace.isZero();
	}

	private static Duration positive(@Nullable Duration value, String name) {
		Objects.requireNonNull(value, () -> name + " must not be null");
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + value);
		}
		return value;
	}

	private static Duration notNegative(@Nullable Duration value, String name) {
		Objects.requireNonNull(value, () -> name + " must not be null");
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative but was " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "LoadingSettings[leaseTime=" + this.leaseTime + ", leaseWait=" + getLeaseWait() + ", earlyRefresh="
				+ this.earlyRefresh + ", beta=" + this.beta + ", staleGrace=" + this.staleGrace + ", staleLoadTimeout=" + this.staleLoadTimeout + ", ttlJitter="
				+ this.ttlJitter + ", timeToIdle=" + this.timeToIdle + (this.tags ? ", tags=true" : "") + "]";
	}

	/**
	 * Whether entries may carry tags ({@code set} and {@code getOrLoad} with tags,
	 * {@code invalidateTag}): every read then checks a tagged entry's recorded tag versions against
	 * the current ones (known locally and kept correct by Redis client tracking, so a read costs
	 * no extra round trip once its tags were seen). Reads of such a cache go to Redis' entry bytes,
	 * past a near cache under the loading layer, as with early refresh. Off by default.
	 * @param tags whether entries may carry tags
	 * @return a copy with that setting
	 */
	public LoadingSettings withTags(boolean tags) {
		return copy((s) -> s.tags = tags);
	}

	/**
	 * Whether entries may carry tags.
	 * @return whether tags are on
	 */
	public boolean isTags() {
		return this.tags;
	}

}
