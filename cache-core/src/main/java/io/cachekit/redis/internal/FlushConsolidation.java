package io.cachekit.redis.internal;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * One flush for the commands that concurrent callers handed to a connection's I/O thread at once:
 * each command Lettuce writes from an application thread reaches the I/O thread as a task that
 * writes and flushes it, one system call per command; with Netty's
 * {@link FlushConsolidationHandler} at the head of the pipeline, the flushes of the tasks queued
 * together become one, after the last of them (the handler's flush runs as the next task of the
 * same thread, so a lone caller waits for no timer). Writes keep their order, so replies keep
 * theirs. It also adds {@link FenceBatches} at the tail, so that the reply proof fences a batch
 * of commands once.
 */
public final class FlushConsolidation implements NettyCustomizer {

	/** Flushes at most this many commands late while the thread is reading replies. */
	private static final int MAX_PENDING_FLUSHES = 256;

	private final NettyCustomizer next;

	private FlushConsolidation(NettyCustomizer next) {
		this.next = next;
	}

	/**
	 * {@code next}, then flush consolidation on every channel.
	 * @param next a customizer that runs first (Lettuce's default does nothing)
	 * @return the customizer
	 */
	public static NettyCustomizer after(NettyCustomizer next) {
		return new FlushConsolidation(next);
	}

	@Override
	public void afterBootstrapInitialized(io.netty.bootstrap.Bootstrap bootstrap) {
		this.next.afterBootstrapInitialized(bootstrap);
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		this.next.afterChannelInitialized(channel);
		channel.pipeline().addFirst("cachekit-flush-consolidation", new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true));
		// at the tail: sees each command in wire order, before Lettuce's handlers
		channel.pipeline().addLast("cachekit-fence-batches", new FenceBatches());
	}

}
