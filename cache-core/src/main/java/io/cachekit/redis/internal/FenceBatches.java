package io.cachekit.redis.internal;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * One fence per batch of commands written together, instead of one per command: sits at the tail
 * of a connection's pipeline, where it sees every command in the order it goes on the wire (on
 * the connection's I/O thread). After the first command of a batch that may need a fence it queues a task on that
 * thread, which runs once the commands queued with it are written; the task asks the
 * connection's {@link ReplyFence} to fence them if any reply may need it (other commands
 * outstanding, or replies held). So every command written is followed on the wire by a fence,
 * unless its reply will be proven by counting, and concurrent callers share one fence per batch.
 * <p>
 * It serves the {@link ReplyFence} that announced itself on this channel ({@link ReplyFence#announce});
 * until one did (or on a connection without a fence) it passes commands through untouched.
 */
final class FenceBatches extends ChannelOutboundHandlerAdapter {

	private @Nullable ReplyFence owner;

	/** Commands were written since the last fence (I/O thread only). */
	private boolean unfenced;

	/** A batch check is queued (I/O thread only). */
	private boolean queued;

	private final Runnable afterBatch = this::afterBatch;

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof RedisCommand<?, ?, ?> command) {
			written(ctx, command);
		}
		else if (msg instanceof Collection<?>) {
			commandsWritten(ctx);
		}
		ctx.write(msg, promise);
	}

	private void written(ChannelHandlerContext ctx, RedisCommand<?, ?, ?> command) {
		if (CommandWrapper.unwrap(command, ReplyFence.FenceCommand.class) != null) {
			// a fence of any kind follows every command written before it
			this.unfenced = false;
			return;
		}
		ReplyFence.Announcement announced = CommandWrapper.unwrap(command, ReplyFence.Announcement.class);
		if (announced != null) {
			this.owner = announced.fence();
			this.owner.batched();
			return;
		}
		commandsWritten(ctx);
	}

	/** Commands other than fences went out: a batch check is queued, unless none can need a fence. */
	private void commandsWritten(ChannelHandlerContext ctx) {
		ReplyFence fence = this.owner;
		if (fence == null || !fence.wantsBatchFence()) {
			// (a lone caller's command needs none: counting proves its reply, and no task is queued)
			return;
		}
		this.unfenced = true;
		if (!this.queued) {
			this.queued = true;
			ctx.executor().execute(this.afterBatch);
		}
	}

	private void afterBatch() {
		this.queued = false;
		ReplyFence fence = this.owner;
		if (this.unfenced && fence != null && fence.wantsBatchFence()) {
			// written now, on the I/O thread: behind every command this handler has seen
			fence.sendBatchFence();
		}
	}

}
