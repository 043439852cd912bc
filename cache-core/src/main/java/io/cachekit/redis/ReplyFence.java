package io.cachekit.redis;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * Proves, for one connection, that every reply handed to a caller belongs to that caller's
 * command.
 * <p>
 * Redis matches replies to commands by order alone, and so does Lettuce: once one command is lost
 * on the way (a misbehaving proxy or middlebox), every later reply goes to the command before
 * it, and {@code GET a} answers {@code b}'s value. A reply to {@code GET} cannot show whose it is,
 * so replies are not handed out as they arrive: each is held until a fence that was sent after
 * its command comes back. A fence is {@code ECHO <token>} with a token unique on this connection;
 * it comes back with its own token only if every reply before it on the connection was in step,
 * since a lost command shifts every later reply, the fence's included. A fence with the wrong
 * token (or none within the command timeout) fails every held reply and condemns the connection,
 * which the owner then replaces.
 * <p>
 * Fences are shared: at most one is on its way at a time, and the next one covers every command
 * sent meanwhile, so under load one fence covers many commands. Why the claim below is enough: a
 * command increments {@code sent} after it is written; a fence is written after its sender saw
 * {@code sent} at or above that command's number, so after the command. Held replies are released by a fence
 * completion observed after them; completions of one connection are observed in wire order on
 * its I/O thread (a reply observed later, from a caller's thread, is only released by a later
 * fence, which proves more).
 */
final class ReplyFence {

	private static final byte[] NO_TOKEN = {};

	private final StatefulConnection<String, byte[]> connection;

	private final CommandDeadlines deadlines;

	private final Breakage onBroken;

	private final byte[] tokenPrefix = new byte[8];

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong fencedUpTo = new AtomicLong();

	private final AtomicLong fences = new AtomicLong();

	/**
	 * When a fence last came back in step ({@link System#nanoTime()}). Not "a reply of any kind": on a
	 * connection out of step (commands lost in a blackhole that then healed) replies keep arriving, each
	 * on the wrong command, and a fence that timed out never sees the reply it gets later.
	 */
	private volatile long lastReply = System.nanoTime();

	private final long timeoutNanos;

	/** Whether a fence is on its way; its completion sends the next one if commands came since. */
	private final AtomicBoolean fenceInFlight = new AtomicBoolean();

	private final ArrayDeque<Held<?>> held = new ArrayDeque<>();

	/** Commands up to this number are proven in step (guarded by {@code held}). */
	private long provenUpTo;

	private @Nullable String broken;

	ReplyFence(StatefulConnection<String, byte[]> connection, CommandDeadlines deadlines, Duration timeout,
			Breakage onBroken) {
		this.connection = connection;
		this.timeoutNanos = timeout.toNanos();
		this.deadlines = deadlines;
		this.onBroken = onBroken;
		new SecureRandom().nextBytes(this.tokenPrefix);
	}

	/**
	 * Hands {@code reply}'s outcome to {@code delivery} once a later fence proved it in step; an
	 * error is handed over at once (it claims nothing about which command it answers).
	 * Call right after the command was written.
	 */
	<V> void deliver(CompletableFuture<V> reply, BiConsumer<@Nullable V, @Nullable Throwable> delivery) {
		long number = this.sent.incrementAndGet();
		reply.whenComplete((value, ex) -> {
			if (ex != null) {
				delivery.accept(null, ex);
			}
			else {
				hold(number, new Held<>(value, delivery));
			}
		});
		requestFence(number);
	}

	/** Whether this fence found its connection out of step or unresponsive. */
	boolean isBroken() {
		synchronized (this.held) {
			return this.broken != null;
		}
	}

	/** Fails every held reply: the connection is going away. */
	void close(String reason) {
		breakWith(reason, null);
	}

	/** Fences sent so far; for tests. */
	long fencesSent() {
		return this.fences.get();
	}

	private <V> void hold(long number, Held<V> entry) {
		String reason;
		synchronized (this.held) {
			reason = this.broken;
			if (reason == null) {
				if (number > this.provenUpTo) {
					this.held.add(entry);
					return;
				}
			}
		}
		// Observed after the fence that covers it came back (the caller registered late): proven.
		if (reason == null) {
			entry.deliver();
		}
		else {
			entry.fail(reason);
		}
	}

	/**
	 * Makes sure a fence is sent after command {@code number}. At most one fence is on its way at a
	 * time: a command sent meanwhile is covered by the fence its completion sends (it reads
	 * {@code sent} after clearing {@code fenceInFlight}, so it sees every command whose sender saw
	 * the flag set), so a burst of commands costs a few fences, not one each.
	 */
	private void requestFence(long number) {
		if (this.fencedUpTo.get() < number && this.fenceInFlight.compareAndSet(false, true)) {
			sendFence();
		}
	}

	private void fenceAnswered() {
		this.fenceInFlight.set(false);
		if (this.sent.get() > this.fencedUpTo.get() && this.fenceInFlight.compareAndSet(false, true)) {
			sendFence();
		}
	}

	private void sendFence() {
		// On an I/O thread (a fence's completion sends the next one) a write goes out at once, ahead of
		// the writes other threads queued before counting their commands in sent: the fence would claim
		// commands that follow it on the wire, and a command lost after it would shift their replies
		// unseen (GET a answered b's value). From any other thread the fence is queued behind them.
		java.util.concurrent.Executor elsewhere = this.deadlines.executor();
		if (elsewhere != null && io.netty.util.internal.ThreadExecutorMap.currentExecutor() instanceof io.netty.channel.EventLoop) {
			try {
				elsewhere.execute(this::writeFence);
			}
			catch (RuntimeException ex) {
				breakWith("connection closing (" + ex + ")", Cause.LOST);
			}
			return;
		}
		writeFence();
	}

	private void writeFence() {
		long upTo = this.sent.get();
		this.fencedUpTo.accumulateAndGet(upTo, Math::max);
		byte[] token = token(this.fences.incrementAndGet());
		AsyncCommand<String, byte[], byte[]> fence = new AsyncCommand<>(new Command<>(CommandType.ECHO,
				new ValueOutput<>(RedisConnector.CODEC), new CommandArgs<>(RedisConnector.CODEC).addValue(token)));
		// Registered before dispatch, so the check runs where the reply is read: in wire order.
		fence.whenComplete((echoed, ex) -> {
			if (ex instanceof RedisCommandTimeoutException) {
				if (System.nanoTime() - this.lastReply < 2 * this.timeoutNanos) {
					// Late, but a fence came back in step lately: a busy connection (or a stalled client), not
					// yet a dead one; the next fence decides. Its reply
					// comes later, still in its place; the replies held here wait for the next fence
					// (or their callers' deadlines).
					fenceAnswered();
				}
				else {
					breakWith("no reply proven in step for twice the command timeout", Cause.UNRESPONSIVE);
				}
			}
			else if (ex != null) {
				breakWith("connection lost (" + RedisConnector.rootMessage(ex) + ")", Cause.LOST);
			}
			else if (!Arrays.equals(token, (echoed != null) ? echoed : NO_TOKEN)) {
				breakWith("replies out of step with commands (a connection check got another command's reply)",
						Cause.OUT_OF_STEP);
			}
			else {
				this.lastReply = System.nanoTime();
				fenceAnswered();
				release(upTo);
			}
		});
		try {
			this.connection.dispatch(fence);
			this.deadlines.track(fence, System.nanoTime());
		}
		catch (RuntimeException ex) {
			fence.completeExceptionally(ex);
		}
	}

	private void release(long upTo) {
		ArrayDeque<Held<?>> ready;
		synchronized (this.held) {
			if (this.broken != null) {
				return;
			}
			this.provenUpTo = Math.max(this.provenUpTo, upTo);
			if (this.held.isEmpty()) {
				return;
			}
			ready = new ArrayDeque<>(this.held);
			this.held.clear();
		}
		ready.forEach(Held::deliver);
	}

	private void breakWith(String reason, @Nullable Cause cause) {
		ArrayDeque<Held<?>> failed;
		boolean first;
		synchronized (this.held) {
			first = this.broken == null;
			if (first) {
				this.broken = reason;
			}
			failed = new ArrayDeque<>(this.held);
			this.held.clear();
		}
		String why = (this.broken != null) ? this.broken : reason;
		failed.forEach((entry) -> entry.fail(why));
		if (first && cause != null) {
			this.onBroken.broken(this, cause, reason);
		}
	}

	private byte[] token(long sequence) {
		return ByteBuffer.allocate(16).put(this.tokenPrefix).putLong(sequence).array();
	}

	/** Why a fence failed. */
	enum Cause {

		/** No answer within the command timeout: the peer stopped answering (or is very slow). */
		UNRESPONSIVE,

		/** A fence got another command's reply: a command was lost on the way. */
		OUT_OF_STEP,

		/** The connection closed or was refused while the fence was on its way. */
		LOST

	}

	/** Told once when a fence fails: the connection must be replaced. */
	@FunctionalInterface
	interface Breakage {

		void broken(ReplyFence fence, Cause cause, String reason);

	}

	/** A reply waiting for its fence. */
	private static final class Held<V> {

		private final @Nullable V value;

		private final BiConsumer<@Nullable V, @Nullable Throwable> delivery;

		Held(@Nullable V value, BiConsumer<@Nullable V, @Nullable Throwable> delivery) {
			this.value = value;
			this.delivery = delivery;
		}

		void deliver() {
			this.delivery.accept(this.value, null);
		}

		void fail(String reason) {
			this.delivery.accept(null, new RedisConnectionException("Connection dropped: " + reason));
		}

	}

}
