package io.cachekit.redis;

import java.time.Duration;

/**
 * The bounds the silent-fault tests ({@code *SilentFaultTest}, issue 19) assert, in one place, so
 * that README's Failure behaviour and Near cache sections can state the same numbers. Each bound is
 * what the code promises from its settings plus a margin the test measures there and then (a fresh
 * connect and PING through the same proxy), never a figure that held on a quiet machine.
 */
public final class SilentFaultBounds {

	/** The command timeout T every silent-fault test configures. */
	public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** README's reconnect back-off: a condemned connection's replacement is tried within this. */
	public static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(2);

	/** The near cache heartbeat interval the near-cache silent-fault tests configure. */
	public static final Duration HEARTBEAT = Duration.ofMillis(300);

	/** How long the blackhole of a blackhole-then-heal round lasts (more than twice T). */
	public static final Duration BLACKHOLE = Duration.ofMillis(1500);

	private SilentFaultBounds() {
	}

	/**
	 * After the heal (for a lost command: the moment it was lost; for a stall: the moment the old
	 * connection stalled while new ones pass), the faulty node's keys are served again within
	 * {@code 2 * T + RECONNECT_BACKOFF + margin}: T until the command's deadline, T for the check
	 * that condemns, the back-off before the replacement connects.
	 * @param margin the measured cost of a fresh connect and PING
	 * @return the bound
	 */
	public static Duration servedAgain(Duration margin) {
		return COMMAND_TIMEOUT.multipliedBy(2).plus(RECONNECT_BACKOFF).plus(margin);
	}

	/**
	 * A connection that stops answering while every read is a near hit (no command goes out) is
	 * suspect within {@code heartbeat + T + margin} of the moment it went silent.
	 * @param heartbeat the near cache's heartbeat interval
	 * @param margin the measured cost of a fresh connect and PING
	 * @return the bound
	 */
	public static Duration suspectWhenSilent(Duration heartbeat, Duration margin) {
		return heartbeat.plus(COMMAND_TIMEOUT).plus(margin);
	}

	/**
	 * A connection with a command unanswered is suspect within one T of that command's deadline,
	 * so within {@code 2 * T + margin} of the command being sent.
	 * @param margin the measured cost of a fresh connect and PING
	 * @return the bound
	 */
	public static Duration suspectAfterUnansweredCommand(Duration margin) {
		return COMMAND_TIMEOUT.multipliedBy(2).plus(margin);
	}

}
