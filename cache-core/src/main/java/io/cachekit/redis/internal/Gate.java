package io.cachekit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Whether the engine takes calls, and the calls it has in flight: the one owner of the engine's
 * lifecycle state. A shutdown closes the gate and waits on {@link #close()}'s future, which
 * completes when the last call in flight has been answered.
 */
final class Gate {

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean open;

	/** Whether close() was called; then nothing opens the gate on first use. */
	private volatile boolean closed;

	private volatile @Nullable CompletableFuture<Void> drained;

	private volatile BooleanSupplier starter = () -> false;

	/** What opens the gate when a call arrives before {@code initialize()}. */
	void onFirstUse(BooleanSupplier starter) {
		this.starter = starter;
	}

	/** Whether a call may go ahead, starting the engine for one that came before {@code initialize()}. */
	boolean admit() {
		return this.open || (!this.closed && this.starter.getAsBoolean());
	}

	boolean isOpen() {
		return this.open;
	}

	boolean isClosed() {
		return this.closed;
	}

	void open() {
		this.closed = false;
		this.drained = null;
		this.open = true;
	}

	/** Marks a shutdown that found the engine stopped: nothing starts it on first use any more. */
	void refuseFirstUse() {
		this.closed = true;
	}

	/**
	 * Stops taking calls.
	 * @return a future that completes once every call in flight has been answered
	 */
	CompletableFuture<Void> close() {
		this.closed = true;
		this.open = false;
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.drained = done;
		// (a departure that missed the future above saw a count this read cannot: no lost wake-up)
		if (this.inFlight.get() == 0) {
			done.complete(null);
		}
		return done;
	}

	/** A command was sent. */
	void arrive() {
		this.inFlight.incrementAndGet();
	}

	/** A command sent was answered. */
	void depart() {
		if (this.inFlight.decrementAndGet() == 0) {
			CompletableFuture<Void> done = this.drained;
			if (done != null) {
				done.complete(null);
			}
		}
	}

}
