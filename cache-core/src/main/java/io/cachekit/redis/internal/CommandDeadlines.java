package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.RedisCommandTimeoutException;

/**
 * Bounds every command by the command timeout without a timer per command.
 * <p>
 * Lettuce's own per-command timeouts ({@code TimeoutOptions}) arm a timer task when a command is
 * written and cancel it when the answer arrives: two trips through the timer's queues for every
 * command, a measurable share of a cache hit's CPU cost (see {@code benchmarks/RESULTS.md}).
 * Here all commands share one timeout, so the order in which they are sent is (up to a few
 * microseconds between racing threads) the order in which they expire: a FIFO queue of
 * (deadline, command) and one periodic sweep that completes the expired head entries with
 * {@link RedisCommandTimeoutException}, exactly what Lettuce's timer would have done. An answered
 * command costs one queue node and leaves at the next sweep.
 * <p>
 * Only the commands registered here are bounded: {@code Link.send} registers every command it
 * sends (each step of an operation made of several commands as it is sent).
 */
final class CommandDeadlines {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	/** Upper bound on the sweep period, and so on how late a timeout may fire. */
	private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();

	private final long timeoutNanos;

	private final long periodNanos;

	private final String message;

	private @Nullable ScheduledFuture<?> sweeper;

	CommandDeadlines(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
		// a twentieth of the timeout, at least 1 ms and at most 20 ms
		this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(MAX_PERIOD_NANOS, this.timeoutNanos / 20));
		this.message = "Command timed out after " + timeout.toMillis() + " ms";
	}

	/** Starts sweeping on {@code executor}. Idempotent. */
	synchronized void start(ScheduledExecutorService executor) {
		if (this.sweeper == null) {
			this.sweeper = executor.scheduleAtFixedRate(this::sweepSafely, this.periodNanos, this.periodNanos,
					TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Stops sweeping. Commands still registered are left to the connection, whose closing fails
	 * them.
	 */
	synchronized void stop() {
		ScheduledFuture<?> current = this.sweeper;
		this.sweeper = null;
		if (current != null) {
			current.cancel(false);
		}
		this.queue.clear();
	}

	/**
	 * Bounds {@code command}, sent at {@code sentAt} ({@link System#nanoTime()}), by the timeout.
	 * @return the registration, to {@linkplain Entry#release() release} once the command is answered
	 */
	Entry track(CompletableFuture<?> command, long sentAt) {
		return track(command, sentAt, null);
	}

	/**
	 * Bounds {@code command} as {@link #track(CompletableFuture, long)} does, and runs
	 * {@code onExpiry} (on the sweeper's thread, quickly) when it is the timeout that failed it.
	 */
	Entry track(CompletableFuture<?> command, long sentAt, @Nullable Runnable onExpiry) {
		Entry entry = new Entry(sentAt + this.timeoutNanos, command, onExpiry);
		this.queue.offer(entry);
		return entry;
	}

	/** Fails the expired commands at the head of the queue. Only the sweeper task calls this. */
	void sweep() {
		long now = System.nanoTime();
		Entry head;
		while ((head = this.queue.peek()) != null) {
			CompletableFuture<?> command = head.command;
			if (command != null && !command.isDone()) {
				if (head.deadline - now > 0) {
					return;
				}
				if (command.completeExceptionally(new RedisCommandTimeoutException(this.message)) && head.onExpiry != null) {
					head.onExpiry.run();
				}
			}
			this.queue.poll();
		}
	}

	private void sweepSafely() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			// A periodic task that throws is never run again, and then nothing would time out.
			// (CompletableFuture keeps a dependent's exception in that dependent, so this is a safety net.)
			logger.warn("Command timeout sweep failed; sweeping again in {} ms", this.periodNanos / 1_000_000, ex);
		}
	}

	/** How often the queue is swept: how late, at most, a deadline fires. */
	long periodNanos() {
		return this.periodNanos;
	}

	/** Commands registered and not yet swept (answered or not); for tests. */
	int size() {
		return this.queue.size();
	}

	/** One registered command. */
	static final class Entry {

		final long deadline;

		// Plain field: the sweeper may briefly see a released entry's command, and then finds it done.
		@Nullable CompletableFuture<?> command;

		final @Nullable Runnable onExpiry;

		Entry(long deadline, CompletableFuture<?> command, @Nullable Runnable onExpiry) {
			this.deadline = deadline;
			this.command = command;
			this.onExpiry = onExpiry;
		}

		/** Drops the reference to an answered command so its reply is not kept until the next sweep. */
		void release() {
			this.command = null;
		}

	}

}
