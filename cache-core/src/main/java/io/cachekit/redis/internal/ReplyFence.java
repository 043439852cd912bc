package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * Proves, for one connection, that every reply handed to a caller belongs to that caller's
 * command.
 * <p>
 * Redis matches replies to commands by order alone, and so does Lettuce: once one command is lost
 * on the way (a misbehaving proxy or middlebox), every later reply goes to the command before
 * it, and {@code GET a} answers {@code b}'s value. A reply to {@code GET} cannot show whose it is,
 * so a reply is handed out only once it is proven in step, in one of two ways:
 * <ul>
 * <li><b>Nothing left outstanding.</b> Commands are counted before they are sent
 * ({@code reserved}) and replies as they arrive ({@code answered}). Redis answers each command
 * it received exactly once, so when the replies counted equal the commands that may have been
 * sent, every command was answered by its own reply: nothing was lost. This is the common case
 * for a caller alone on its connection and costs two counters.</li>
 * <li><b>A fence.</b> When other commands are outstanding, a reply is held until a fence sent
 * after its command comes back: {@code ECHO <token>}, the token unique on this connection. A lost
 * command shifts every later reply, the fence's included, so a fence that comes back with its own
 * token proves every reply before it. A fence covers every command dispatched before it, so
 * concurrent callers share fences.</li>
 * </ul>
 * A fence with the wrong token, or none while no reply of any kind arrives for twice the command
 * timeout, fails every held reply and condemns the connection, which its owner replaces.
 * <p>
 * Why the fence claim holds: a command increments {@code sent} after it was dispatched; a fence
 * covers the commands numbered up to what {@code sent} was when the fence was requested, and is
 * dispatched behind them (see {@link #requestFence}), so it follows them on the wire. Replies are released by a proof observed after them: completions of one
 * connection are observed in wire order on its I/O thread, and one observed later, from a
 * caller's thread, is only released by a later proof, which proves more.
 */
final class ReplyFence {

	private static final byte[] NO_TOKEN = {};

	private final StatefulConnection<String, byte[]> connection;

	private final CommandDeadlines deadlines;

	/** Where fences are sent from: never the connection's I/O thread (see {@link #requestFence}). */
	private final Executor fenceSender;

	private final Breakage onBroken;

	/** Told when the connection becomes suspect: a command or a check went unanswered in time. */
	private final Runnable onSuspect;

	/** Whether the connection is in doubt since its last proof (cleared by a fence back in step). */
	private volatile boolean suspect;

	private final long timeoutNanos;

	private final byte[] tokenPrefix = new byte[8];

	/** Commands that may have been sent: counted before each is handed to Lettuce. */
	private final AtomicLong reserved = new AtomicLong();

	/** Replies received (values and error replies, not local failures). */
	private final AtomicLong answered = new AtomicLong();

	/** Commands sent, counted after each was written: fences cover commands by this number. */
	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong fencedUpTo = new AtomicLong();

	private final AtomicLong fences = new AtomicLong();

	/** When the last reply of any kind arrived ({@link System#nanoTime()}). */
	private volatile long lastReply = System.nanoTime();

	/**
	 * Whether counting still proves anything: a command that failed without a reply (rejected, or
	 * its connection lost) leaves the counts apart for good, and only fences prove from then on.
	 */
	private volatile boolean countsHold = true;

	private final ArrayDeque<Held<?>> held = new ArrayDeque<>();

	/** Commands up to this number are proven in step by a fence (guarded by {@code held}). */
	private long provenUpTo;

	private @Nullable String broken;

	ReplyFence(StatefulConnection<String, byte[]> connection, CommandDeadlines deadlines, Executor fenceSender,
			Duration timeout, Breakage onBroken, Runnable onSuspect) {
		this.onSuspect = onSuspect;
		this.connection = connection;
		this.fenceSender = fenceSender;
		this.timeoutNanos = timeout.toNanos();
		this.deadlines = deadlines;
		this.onBroken = onBroken;
		new SecureRandom().nextBytes(this.tokenPrefix);
	}

	/**
	 * Counts a command about to be sent; call {@link #unreserve()} if sending it throws.
	 * @return whether other commands are outstanding, so that its reply will need a fence
	 */
	boolean reserve() {
		return this.reserved.incrementAndGet() - this.answered.get() > 1;
	}

	/** The reserved command was not sent after all. */
	void unreserve() {
		this.reserved.decrementAndGet();
	}

	/**
	 * Hands {@code reply}'s outcome to {@code delivery} once it is proven in step; a failure that
	 * is not a reply (the connection lost) is handed over at once. Call right after the command was
	 * written, after {@link #reserve()}.
	 * @param needsFence what {@link #reserve()} answered: send a fence with this command
	 */
	<V> void deliver(CompletableFuture<V> reply, boolean needsFence,
			BiConsumer<@Nullable V, @Nullable Throwable> delivery) {
		long number = this.sent.incrementAndGet();
		reply.whenComplete((value, ex) -> onOutcome(number, new Held<>(value, ex, delivery)));
		if (needsFence) {
			requestFence(number);
		}
	}

	/**
	 * Checks the connection now: a fence covering every command sent so far. Called when a command
	 * went unanswered past its deadline (the connection is suspect) and by the heartbeat. A check
	 * not back within the command timeout makes the connection suspect, and condemns it unless
	 * replies still arrive (a busy connection, not a silent one: its check is checked when it
	 * comes); a check answered by another command's reply condemns it at once.
	 * @return completes {@code true} once the check came back in step, {@code false} once the
	 *     connection was condemned instead
	 */
	CompletableFuture<Boolean> check() {
		CompletableFuture<Boolean> proven = new CompletableFuture<>();
		long upTo = this.sent.get();
		this.fencedUpTo.accumulateAndGet(upTo, Math::max);
		sendFenceSafely(upTo, proven);
		return proven;
	}

	/** A command went unanswered past its deadline: the connection is in doubt until a check proves it. */
	void suspect() {
		if (markSuspect()) {
			check();
		}
	}

	private boolean markSuspect() {
		if (this.suspect || isBroken()) {
			return false;
		}
		this.suspect = true;
		this.onSuspect.run();
		return true;
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

	private <V> void onOutcome(long number, Held<V> entry) {
		Throwable failure = entry.failure;
		if (failure != null && !(failure instanceof RedisCommandExecutionException)) {
			// no reply: says nothing about whose reply is whose, but the counts no longer meet
			this.countsHold = false;
			entry.deliver();
			return;
		}
		this.lastReply = System.nanoTime();
		long replies = this.answered.incrementAndGet();
		ArrayDeque<Held<?>> ready = null;
		String reason;
		boolean needFence = false;
		synchronized (this.held) {
			reason = this.broken;
			if (reason == null) {
				if (this.countsHold && replies == this.reserved.get()) {
					// every command that may have been sent is answered: all replies are their own
					ready = drainHeld();
				}
				else if (number > this.provenUpTo) {
					this.held.add(entry);
					needFence = true;
				}
			}
		}
		if (reason != null) {
			entry.fail(reason);
		}
		else if (needFence) {
			requestFence(number);
		}
		else {
			if (ready != null) {
				ready.forEach(Held::deliver);
			}
			entry.deliver();
		}
	}

	private ArrayDeque<Held<?>> drainHeld() {
		ArrayDeque<Held<?>> ready = new ArrayDeque<>(this.held);
		this.held.clear();
		return ready;
	}

	/**
	 * Makes sure a fence is sent after command {@code number}: unless one was sent since that
	 * command, send one now, covering every command dispatched so far (so concurrent callers share
	 * fences, and a reply waits for one round trip of its own fence, not for another's to return
	 * first).
	 * <p>
	 * A fence is never written straight from a Netty thread: a write from the I/O thread goes out
	 * at once, ahead of commands other threads have queued for that thread, and would then prove
	 * replies it does not follow. From an application thread Netty queues the write behind every
	 * command already dispatched; on a Netty thread the fence is queued as a task of that thread,
	 * covering only what was dispatched before it was queued.
	 */
	private void requestFence(long number) {
		if (this.fencedUpTo.get() < number) {
			// Covers what was dispatched before now: a command increments sent after its dispatch.
			long upTo = this.sent.get();
			this.fencedUpTo.accumulateAndGet(upTo, Math::max);
			sendFenceSafely(upTo, null);
		}
	}

	private void sendFenceSafely(long upTo, @Nullable CompletableFuture<Boolean> check) {
		try {
			if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
				// an application thread: Netty queues its write behind every command dispatched before
				sendFence(upTo, check);
				return;
			}
			// A Netty thread, the I/O thread perhaps, where a write goes out at once: queue the fence
			// as a task of this thread instead, behind the writes already queued here.
			EventExecutor here = ThreadExecutorMap.currentExecutor();
			((here != null) ? here : this.fenceSender).execute(() -> sendFence(upTo, check));
		}
		catch (RuntimeException rejected) {
			breakWith("connection checks can no longer be sent (" + rejected + ")", Cause.LOST);
			settle(check, false);
		}
	}

	private void sendFence(long upTo, @Nullable CompletableFuture<Boolean> check) {
		byte[] token = token(this.fences.incrementAndGet());
		AsyncCommand<String, byte[], byte[]> fence = new AsyncCommand<>(new Command<>(CommandType.ECHO,
				new ValueOutput<>(RedisConnector.CODEC), new CommandArgs<>(RedisConnector.CODEC).addValue(token)));
		// Registered before dispatch, so the check runs where the reply is read: in wire order.
		fence.whenComplete((echoed, ex) -> {
			if (ex != null) {
				this.countsHold = false;
				breakWith("connection lost (" + RedisConnector.rootMessage(ex) + ")", Cause.LOST);
				settle(check, false);
				return;
			}
			this.lastReply = System.nanoTime();
			this.answered.incrementAndGet();
			if (!Arrays.equals(token, (echoed != null) ? echoed : NO_TOKEN)) {
				breakWith("replies out of step with commands (a connection check got another command's reply)",
						Cause.OUT_OF_STEP);
				settle(check, false);
				return;
			}
			if (check != null) {
				// a check back in step: everything before it was answered in step
				this.suspect = false;
			}
			release(upTo);
			settle(check, true);
		});
		// The deadline is on a guard, not the fence: a late fence still arrives, is counted and checked.
		CompletableFuture<Void> guard = new CompletableFuture<>();
		fence.whenComplete((echoed, ex) -> guard.complete(null));
		guard.whenComplete((v, ex) -> {
			if (ex != null && !fence.isDone()) {
				if (check != null) {
					checkLate(check);
				}
				else {
					fenceLate();
				}
			}
		});
		this.reserved.incrementAndGet();
		try {
			this.connection.dispatch(fence);
			this.deadlines.track(guard, System.nanoTime());
		}
		catch (RuntimeException ex) {
			this.reserved.decrementAndGet();
			fence.completeExceptionally(ex);
		}
	}

	/** Whether a command or a check went unanswered in time since the last check proved it. */
	boolean isSuspect() {
		return this.suspect;
	}

	/**
	 * A check not back within the command timeout: the connection is suspect; it is condemned
	 * unless replies arrived within the last half timeout (a busy connection still answering, whose
	 * check is checked when it comes). A connection that lost a command and then carries no other
	 * traffic answers nothing after the check's reply went to the lost command: condemned here.
	 */
	private void checkLate(CompletableFuture<Boolean> check) {
		markSuspect();
		if (System.nanoTime() - this.lastReply >= this.timeoutNanos / 2) {
			breakWith("a connection check was not answered within the command timeout", Cause.UNRESPONSIVE);
			settle(check, false);
		}
		else {
			fenceLate();
		}
	}

	private static void settle(@Nullable CompletableFuture<Boolean> check, boolean proven) {
		if (check != null) {
			check.complete(proven);
		}
	}

	private void fenceLate() {
		// Late, but replies arrived lately: a busy connection (or a stalled client), not yet a dead
		// one. Its reply still comes, in its place, and is checked then; held replies wait for a
		// proof (or their callers' deadlines).
		if (System.nanoTime() - this.lastReply >= 2 * this.timeoutNanos) {
			breakWith("no reply of any kind for twice the command timeout", Cause.UNRESPONSIVE);
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
			ready = drainHeld();
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
			failed = drainHeld();
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

		/** No reply of any kind for twice the command timeout: the peer stopped answering. */
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

	/** A reply waiting for its proof. */
	private static final class Held<V> {

		private final @Nullable V value;

		private final @Nullable Throwable failure;

		private final BiConsumer<@Nullable V, @Nullable Throwable> delivery;

		Held(@Nullable V value, @Nullable Throwable failure, BiConsumer<@Nullable V, @Nullable Throwable> delivery) {
			this.value = value;
			this.failure = failure;
			this.delivery = delivery;
		}

		void deliver() {
			this.delivery.accept(this.value, this.failure);
		}

		void fail(String reason) {
			this.delivery.accept(null, new RedisConnectionException("Connection dropped: " + reason));
		}

	}

}
