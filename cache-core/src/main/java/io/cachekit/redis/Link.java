package io.cachekit.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

	RedisClusterAsyncCommands<String, byte[]> commands() {
		return this.commands;
	}

	StatefulConnection<String, byte[]> connection() {
		return this.connection;
	}

	@Nullable ReplyFence fence() {
		return this.fence;
	}

	/**
	 * Bounds a command sent just now by the command timeout and answers its reply once proven in
	 * step; for operations made of several commands, each sent as the previous one answered.
	 */
	<V> CompletableFuture<V> track(CompletionStage<V> command) {
		return track(command.toCompletableFuture(), System.nanoTime());
	}

	/** Same as {@link #track(CompletionStage)}, for a command sent at {@code sentAt} ({@link System#nanoTime()}). */
	<V> CompletableFuture<V> track(CompletableFuture<V> command, long sentAt) {
		ReplyFence replyFence = this.fence;
		// The deadline bounds what the caller waits for: the reply and its proof.
		CompletableFuture<V> answer = (replyFence != null) ? new CompletableFuture<>() : command;
		CommandDeadlines.Entry deadline = this.deadlines.track(answer, sentAt);
		if (replyFence == null) {
			command.whenComplete((value, ex) -> deadline.release());
		}
		else {
			replyFence.deliver(command, (value, ex) -> settle(answer, deadline, value, ex));
		}
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
