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

	/** The backend itself cleared keys ({@code clear}, {@code invalidatePattern}). */
	CLEAR

}
