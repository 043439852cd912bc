package io.cachekit.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.Tracking;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One live connection as the operations see it: its commands, and what every command sent on it
 * goes through: the command timeout ({@link CommandDeadlines}) and the {@link ReplyFence} that
 * proves each reply belongs to its command. Replaced as a whole when the connection is condemned,
 * so a command and its fence are always of one connection. A command unanswered past its deadline
 * makes the link suspect at once: its fence sends a check, which condemns the connection unless it
 * comes back in step (see {@link ReplyFence#check}).
 */
final class Link implements Route {

	private final StatefulConnection<String, byte[]> connection;

	private final RedisClusterAsyncCommands<String, byte[]> commands;

	private final CommandDeadlines deadlines;

	private final @Nullable ReplyFence fence;

	private final AtomicBoolean condemned = new AtomicBoolean();

	/** The connection reads on this link are kept for: one per managed connection, across its links. */
	private final Tracking.Origin origin;

	/** The node's address on a cluster ("host:port"); {@code null} for a single connection. */
	private final @Nullable String address;

	/** Told by the deadlines when a command of this link timed out: the link is suspect. */
	private final Runnable onExpiry = this::suspect;

	/** Client tracking on this connection, once a near cache asked for it. */
	private volatile @Nullable TrackedConnection tracking;

	Link(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> commands,
			CommandDeadlines deadlines, @Nullable ReplyFence fence, Tracking.Origin origin,
			@Nullable String address) {
		this.origin = origin;
		this.address = address;
		this.connection = connection;
		this.commands = commands;
		this.deadlines = deadlines;
		this.fence = fence;
	}

	@Override
	public <V> CompletableFuture<V> onLink(Function<Link, ? extends CompletionStage<V>> body) {
		return body.apply(this).toCompletableFuture();
	}

	@Override
	public Route forKey(String redisKey) {
		return this;
	}

	@Override
	public List<Route> masters() {
		return List.of(this);
	}

	/** Marks it condemned, once. @return whether this call marked it */
	boolean condemn() {
		return this.condemned.compareAndSet(false, true);
	}

	boolean isCondemned() {
		return this.condemned.get();
	}

	Tracking.Origin origin() {
		return this.origin;
	}

	@Nullable String address() {
		return this.address;
	}

	/** Whether a command or a check went unanswered in time since the last check proved the connection. */
	boolean isSuspect() {
		ReplyFence own = this.fence;
		return own != null && own.isSuspect();
	}

	@Nullable TrackedConnection tracking() {
		return this.tracking;
	}

	void tracking(TrackedConnection tracked) {
		this.tracking = tracked;
	}

	/**
	 * Proves this connection alive and in step now (a heartbeat): a fence covering everything sent
	 * so far, condemning the connection unless it comes back in step within the command timeout.
	 * @return completes {@code true} when proven, {@code false} when not (the link is condemned)
	 */
	CompletableFuture<Boolean> check() {
		ReplyFence own = this.fence;
		return (own != null) ? own.check() : CompletableFuture.completedFuture(true);
	}

	/** A command past its deadline: the link is suspect; its fence checks it. */
	private void suspect() {
		ReplyFence own = this.fence;
		if (own != null && !this.condemned.get()) {
			own.suspect();
		}
	}

	StatefulConnection<String, byte[]> connection() {
		return this.connection;
	}

	@Nullable ReplyFence fence() {
		return this.fence;
	}

	@Override
	public <V> CompletableFuture<V> send(
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<V>> command) {
		return sendOn(command);
	}

	/**
	 * Sends one command, bounds it by the command timeout and answers its reply once proven in
	 * step. Operations made of several commands send each one this way as the previous one
	 * answered.
	 * @param command sends the command through the given commands (a Lettuce call)
	 */
	private <V> CompletableFuture<V> sendOn(
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<V>> command) {
		long sentAt = System.nanoTime();
		ReplyFence replyFence = this.fence;
		if (replyFence == null) {
			CompletableFuture<V> reply = command.apply(this.commands).toCompletableFuture();
			CommandDeadlines.Entry deadline = this.deadlines.track(reply, sentAt);
			reply.whenComplete((value, ex) -> deadline.release());
			return reply;
		}
		boolean needsFence = replyFence.reserve();
		CompletableFuture<V> reply;
		try {
			reply = command.apply(this.commands).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			replyFence.unreserve();
			throw ex;
		}
		// The deadline bounds what the caller waits for: the reply and its proof.
		CompletableFuture<V> answer = new CompletableFuture<>();
		CommandDeadlines.Entry deadline = this.deadlines.track(answer, sentAt, this.onExpiry);
		replyFence.deliver(reply, needsFence, (value, ex) -> settle(answer, deadline, value, ex));
		return answer;
	}

	private static <V> void settle(CompletableFuture<V> proven, CommandDeadlines.Entry deadline, @Nullable V value,
			@Nullable Throwable ex) {
		deadline.release();
		if (ex != null) {
			proven.completeExceptionally(ex);
		}
		else {
			proven.complete(value);
		}
	}

}
