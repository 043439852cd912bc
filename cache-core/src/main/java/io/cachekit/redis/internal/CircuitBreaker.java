package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens after {@code threshold} consecutive connection failures or timeouts, so that callers stop
 * waiting on a Redis that is known to be down or hung. While open every call fails at once; after
 * {@code openDuration} one probe call goes through, and its outcome closes or re-opens the breaker.
 */
final class CircuitBreaker {

	private final int threshold;

	private final long openNanos;

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile long openUntil;

	CircuitBreaker(int threshold, Duration openDuration) {
		this.threshold = threshold;
		this.openNanos = openDuration.toNanos();
	}

	/** Whether a call may go to Redis now. */
	boolean tryAcquire() {
		if (this.threshold <= 0 || this.consecutiveFailures.get() < this.threshold) {
			return true;
		}
		if (System.nanoTime() - this.openUntil < 0) {
			return false;
		}
		return this.probing.compareAndSet(false, true);
	}

	/** Redis answered (even with an error reply). */
	void onSuccess() {
		if (this.consecutiveFailures.get() != 0) {
			this.consecutiveFailures.set(0);
		}
		if (this.probing.get()) {
			this.probing.set(false);
		}
	}

	/** A call that acquired and then sent nothing (refused its arguments): lets the next probe go. */
	void release() {
		if (this.probing.get()) {
			this.probing.set(false);
		}
	}

	/** Redis could not be reached or did not answer in time. */
	void onFailure() {
		if (this.consecutiveFailures.incrementAndGet() >= this.threshold) {
			this.openUntil = System.nanoTime() + this.openNanos;
			this.probing.set(false);
		}
	}

	boolean isOpen() {
		return this.threshold > 0 && this.consecutiveFailures.get() >= this.threshold;
	}

}
