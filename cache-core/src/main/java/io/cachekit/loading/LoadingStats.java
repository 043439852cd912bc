package io.cachekit.loading;

import java.util.concurrent.atomic.LongAdder;

import io.cachekit.core.OperationListener;

/**
 * What a {@link LoadingLayer} did, counted since it was made; each event is also told to the
 * stack's {@link OperationListener} under its operation name ({@link #LOAD}, ...), which the
 * starter turns into {@code cachekit.operations} meters.
 */
public final class LoadingStats {

	/** Operation name of a loader run (with its duration). */
	public static final String LOAD = "load";

	/** Operation name of a caller that shared a load already running in its JVM. */
	public static final String COALESCED_WAIT = "coalescedWait";

	/** Operation name of a caller that waited for another instance's lease and then loaded itself. */
	public static final String LEASE_WAIT_TIMEOUT = "leaseWaitTimeout";

	/** Operation name of an early (XFetch) refresh started in the background. */
	public static final String EARLY_REFRESH = "earlyRefresh";

	/** Operation name of a stale value served because its load failed. */
	public static final String STALE_SERVED = "staleServed";

	/**
	 * Operation name of a loaded value not stored: a write or delete of its key through the layer
	 * came after its load began, or its lease was no longer its loader's.
	 */
	public static final String LOAD_DISCARDED = "loadDiscarded";

	private final LongAdder loads = new LongAdder();

	private final LongAdder discarded = new LongAdder();

	private final LongAdder coalescedWaits = new LongAdder();

	private final LongAdder leaseWaitTimeouts = new LongAdder();

	private final LongAdder earlyRefreshes = new LongAdder();

	private final LongAdder staleServed = new LongAdder();

	private final LongAdder loadFailures = new LongAdder();

	void record(OperationListener listener, String operation, long nanos) {
		switch (operation) {
			case LOAD -> this.loads.increment();
			case COALESCED_WAIT -> this.coalescedWaits.increment();
			case LEASE_WAIT_TIMEOUT -> this.leaseWaitTimeouts.increment();
			case EARLY_REFRESH -> this.earlyRefreshes.increment();
			case STALE_SERVED -> this.staleServed.increment();
			case LOAD_DISCARDED -> this.discarded.increment();
			default -> throw new IllegalArgumentException("unknown loading event " + operation);
		}
		try {
			listener.onOperation(operation, nanos, null);
		}
		catch (RuntimeException ex) {
			// a listener must not throw; if it does, the load's caller is not the one to pay
		}
	}

	void loadFailed() {
		this.loadFailures.increment();
	}

	/**
	 * Loader runs (failed ones included).
	 * @return the count
	 */
	public long loads() {
		return this.loads.sum();
	}

	/**
	 * Loader runs that failed.
	 * @return the count
	 */
	public long loadFailures() {
		return this.loadFailures.sum();
	}

	/**
	 * Callers that shared a load already running in their JVM.
	 * @return the count
	 */
	public long coalescedWaits() {
		return this.coalescedWaits.sum();
	}

	/**
	 * Callers that waited for another instance's lease up to the lease wait, then loaded.
	 * @return the count
	 */
	public long leaseWaitTimeouts() {
		return this.leaseWaitTimeouts.sum();
	}

	/**
	 * Early refreshes started.
	 * @return the count
	 */
	public long earlyRefreshes() {
		return this.earlyRefreshes.sum();
	}

	/**
	 * Stale values served because their load failed.
	 * @return the count
	 */
	public long staleServed() {
		return this.staleServed.sum();
	}

	/**
	 * Loaded values not stored because a write or delete of their key through the layer came
	 * after their load began, or their lease was no longer their loader's (the callers still got
	 * them).
	 * @return the count
	 */
	public long discardedWrites() {
		return this.discarded.sum();
	}

	@Override
	public String toString() {
		return "LoadingStats[loads=" + loads() + ", loadFailures=" + loadFailures() + ", coalescedWaits="
				+ coalescedWaits() + ", leaseWaitTimeouts=" + leaseWaitTimeouts() + ", earlyRefreshes="
				+ earlyRefreshes() + ", staleServed=" + staleServed() + ", discardedWrites=" + discardedWrites() + "]";
	}

}
