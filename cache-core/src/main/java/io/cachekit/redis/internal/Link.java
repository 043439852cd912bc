package io.cachekit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One live connection as the operations see it: its commands, and what every command sent on it
 * goes through: the command timeout ({@link CommandDeadlines}) and, where the connection is a
 * single one, the {@link ReplyFence} that proves each reply belongs to its command. Replaced as a
 * whole when the connection is condemned, so a command and its fence are always of one
 * connection.
 */
final class Link {

	private final StatefulConnection<String, byte[]> connection;

	private final RedisClusterAsyncCommands<String, byte[]> commands;

	private final CommandDeadlines deadlines;

	private final @Nullable ReplyFence fence;

	Link(StatefulConnection<String, byte[]> connection, RedisClusterAsyncCommands<String, byte[]> commands,
			CommandDeadlines deadlines, @Nullable ReplyFence fence) {
		this.connection = connection;
		this.commands = commands;
		this.deadlines = deadlines;
		this.fence = fence;
	}

	StatefulConnection<String, byte[]> connection() {
		return this.connection;
	}

	@Nullable ReplyFence fence() {
		return this.fence;
	}

	/**
	 * Sends one command, bounds it by the command timeout and answers its reply once proven in
	 * step. Operations made of several commands send each one this way as the previous one
	 * answered.
	 * @param command sends the command through the given commands (a Lettuce call)
	 */
	<V> CompletableFuture<V> send(Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<V>> command) {
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
		CommandDeadlines.Entry deadline = this.deadlines.track(answer, sentAt);
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
