package io.cachekit.near;

/** Why the near cache dropped all its entries at once. */
public enum FlushCause {

	/** The connection to Redis was lost (see {@link OutageMode#FLUSH}). */
	DISCONNECTED,

	/** A new connection replaced the old one, whose invalidations may have been missed. */
	RECONNECTED,

	/** Redis said every key may have changed ({@code FLUSHDB}, {@code FLUSHALL}). */
	SERVER_FLUSH,

	/** The backend itself cleared keys ({@code clear}, {@code invalidatePattern}). */
	CLEAR

}
