package io.cachekit.core;

import java.time.Duration;

/**
 * The defaults of every setting a backend has, in one place: the builders, the starter's
 * {@code app.cache.*} properties and the README take them from here.
 */
public final class CacheDefaults {

	/** Prefix of every key: {@value}. */
	public static final String PREFIX = "cache:";

	/** Time to live of entries written without one: one hour. */
	public static final Duration TTL = Duration.ofHours(1);

	/** What an outage does to callers: fail-open (a miss, not an exception). */
	public static final FailureMode FAILURE_MODE = FailureMode.FAIL_OPEN;

	/** How long one command may take: 500 ms (a cache that answers late is worse than a miss). */
	public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** How long establishing a connection may take: 2 s. */
	public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/** How long a shutdown waits for calls in flight: 2 s. */
	public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	/** Consecutive connection failures or timeouts that open the circuit: {@value}. */
	public static final int BREAKER_FAILURE_THRESHOLD = 3;

	/** How long an open circuit stays open: 1 s. */
	public static final Duration BREAKER_OPEN_DURATION = Duration.ofSeconds(1);

	/** At most one WARN per error code per this interval: 10 s. */
	public static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

	/** Whether a stored value that cannot be read is deleted when read in fail-open mode: {@value}. */
	public static final boolean DELETE_UNREADABLE_ENTRIES = true;

	private CacheDefaults() {
	}

}
