package io.cachekit.near;

/** Why the near cache dropped all its entries at once, or all it had read from one cluster node. */
public enum FlushCause {

	/** The connection to Redis was lost (see {@link OutageMode#FLUSH}). */
	DISCONNECTED,

	/** A new connection replaced the old one, whose invalidations may have been missed. */
	RECONNECTED,

	/** Redis said every key may have changed ({@code FLUSHDB}, {@code FLUSHALL}). */
	SERVER_FLUSH,

	/**
	 * A Redis Cluster node lost slots or its master role (a failover, a resharding): what was read
	 * on it is dropped, what was read on other nodes stays.
	 */
	TOPOLOGY,

	/**
	 * A connection entries were read on is in doubt: a command on it went unanswered past its
	 * deadline, or its heartbeat was not answered in step. Flushed at the moment of doubt in
	 * {@link OutageMode#FLUSH}, before the connection is condemned or cleared.
	 */
	SUSPECT,

	/**
	 * The heartbeat's own invalidation did not come back on a connection whose replies are in step:
	 * invalidations are being lost on it, so what was read on it can no longer be vouched for.
	 */
	INVALIDATION_LOST,

	/** The backend itself cleared keys ({@code clear}, {@code invalidatePattern}). */
	CLEAR

}
