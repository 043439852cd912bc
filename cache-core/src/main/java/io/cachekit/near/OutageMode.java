package io.cachekit.near;

/**
 * What the near cache serves while its connection to Redis is down, when invalidations from
 * other clients cannot reach it. Either way, every entry is dropped when a new connection comes
 * up, and no entry is served past its local TTL.
 */
public enum OutageMode {

	/** The near cache is emptied as soon as the connection is lost (the default): nothing stale is served. */
	FLUSH,

	/**
	 * Entries stay and are served until their local TTL (at most the configured maximum) ends,
	 * though another client may have changed them meanwhile: availability over freshness.
	 */
	SERVE_WITHIN_LOCAL_TTL

}
