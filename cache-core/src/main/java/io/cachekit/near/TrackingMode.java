package io.cachekit.near;

/** How Redis tells the near cache which keys changed ({@code CLIENT TRACKING}). */
public enum TrackingMode {

	/**
	 * Redis remembers the keys this client read and invalidates each once it changes (the
	 * default): no invalidation traffic for keys the client never read.
	 */
	DEFAULT,

	/**
	 * Redis invalidates every key under the backend's prefix that changes ({@code BCAST PREFIX}),
	 * whoever read it: no tracking table on the server, more invalidation traffic.
	 */
	BROADCAST

}
