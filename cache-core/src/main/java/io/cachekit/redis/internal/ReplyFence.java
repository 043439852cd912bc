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
import io.lettuce.core.output.StatusOutput;
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
 * Where the connection's pipeline has {@link FenceBatches} (CacheKit's own client resources), the
 * fence is not sent per command but once per batch of commands written together, from the I/O
 * thread behind the batch: a reply observed on the I/O thread is released by the first fence reply
 * in step after it (replies are observed there in wire order, and a fence proves every reply before
 * it), and only a reply that completed before its caller could watch it (so its place among the
 * replies is unknown) asks for a fence of its own.
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

	/** Whether {@code held} has replies (written under its lock, read without it). */
	private volatile boolean holding;

	/** Commands up to this number are proven in step by a fence (guarded by {@code held}). */
	private long provenUpTo;

	private @Nullable String broken;

	/** Whether this connection's {@link FenceBatches} sends the fences (set once it saw {@link #announce}). */
	private volatile boolean batched;

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

	/**
	 * Tells this connection's {@link FenceBatches}, if its pipeline has one, that this fence is its
	 * owner: a {@code PING} it recognises on the way out. Call once, before any other command.
	 */
	void announce() {
		AsyncCommand<String, byte[], String> ping = new AsyncCommand<>(new Announcement(this));
		// Not counted among the commands: it goes first, and its own reply is checked instead, so
		// the first callers' replies are still proven by counting. A lost PING shifts later replies
		// one place; this one then gets another command's reply.
		ping.whenComplete((pong, ex) -> {
			if (ex != null) {
				// lost, or an error reply (BUSY, say) that cannot show whose it is: fences prove from now on
				this.countsHold = false;
			}
			else if (!"PONG".equals(pong)) {
				breakWith("replies out of step with commands (the connection's first PING got another reply)",
						Cause.OUT_OF_STEP);
			}
		});
		try {
			this.connection.dispatch(ping);
		}
		catch (RuntimeException ex) {
			this.countsHold = false;
		}
	}

	/** Fences are sent per batch from now on (told by {@link FenceBatches}, on the I/O thread). */
	void batched() {
		this.batched = true;
	}

	/**
	 * Whether the commands just written need a fence: unless only one command is outstanding and
	 * no reply is held (its reply will be proven by counting). Asked as each command is written
	 * and again once its batch is: a command written while one needs none is either proven by
	 * counting, or the command that keeps the counts apart is written later and asks again.
	 */
	boolean wantsBatchFence() {
		return !this.countsHold || this.holding || this.reserved.get() - this.answered.get() > 1;
	}

	/** Sends a fence now; called on the I/O thread by {@link FenceBatches}, behind the batch it covers. */
	void sendBatchFence() {
		// proves the replies before it; proves no command by number (provenUpTo)
		sendFence(0, null);
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
		Held<V> entry = new Held<>(this.sent.incrementAndGet(), delivery);
		reply.whenComplete(entry);
		entry.watched();
		if (needsFence && !this.batched) {
			requestFence(entry.number);
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

	/**
	 * A reply or a failure for {@code entry}'s command; {@code unplaced} when it completed before
	 * its caller watched it, so not observed in wire order.
	 */
	private void onOutcome(Held<?> entry, boolean unplaced) {
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
		boolean waits = false;
		synchronized (this.held) {
			reason = this.broken;
			if (reason == null) {
				if (this.countsHold && replies == this.reserved.get()) {
					// every command that may have been sent is answered: all replies are their own
					ready = drainHeld();
				}
				else if (entry.number > this.provenUpTo) {
					this.held.add(entry);
					this.holding = true;
					waits = true;
				}
			}
		}
		if (reason != null) {
			entry.fail(reason);
		}
		else if (waits) {
			if (unplaced || !this.batched) {
				requestFence(entry.number);
			}
			// else: observed in wire order; the batch fence written after its command proves it
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
		this.holding = false;
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
		AsyncCommand<String, byte[], byte[]> fence = new AsyncCommand<>(new FenceCommand(token));
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

	/** A fence's command ({@code ECHO <token>}), as {@link FenceBatches} recognises it. */
	static final class FenceCommand extends Command<String, byte[], byte[]> {

		FenceCommand(byte[] token) {
			super(CommandType.ECHO, new ValueOutput<>(RedisConnector.CODEC),
					new CommandArgs<>(RedisConnector.CODEC).addValue(token));
		}

	}

	/** {@link #announce}'s {@code PING}: names the fence to the channel's {@link FenceBatches}. */
	static final class Announcement extends Command<String, byte[], String> {

		private final ReplyFence fence;

		Announcement(ReplyFence fence) {
			super(CommandType.PING, new StatusOutput<>(RedisConnector.CODEC));
			this.fence = fence;
		}

		ReplyFence fence() {
			return this.fence;
		}

	}

	/** One command's reply: watched for, then waiting for its proof. */
	private final class Held<V> implements BiConsumer<@Nullable V, @Nullable Throwable> {

		private final long number;

		private final BiConsumer<@Nullable V, @Nullable Throwable> delivery;

		/** Until its caller watches the reply: an outcome seen meanwhile was not observed in wire order. */
		private volatile boolean unwatched = true;

		private @Nullable V value;

		private @Nullable Throwable failure;

		Held(long number, BiConsumer<@Nullable V, @Nullable Throwable> delivery) {
			this.number = number;
			this.delivery = delivery;
		}

		void watched() {
			this.unwatched = false;
		}

		@Override
		public void accept(@Nullable V value, @Nullable Throwable failure) {
			this.value = value;
			this.failure = failure;
			onOutcome(this, this.unwatched);
		}

		void deliver() {
			this.delivery.accept(this.value, this.failure);
		}

		void fail(String reason) {
			this.delivery.accept(null, new RedisConnectionException("Connection dropped: " + reason));
		}

	}

}
