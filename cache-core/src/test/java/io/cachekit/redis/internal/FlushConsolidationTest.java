package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The channels of the resources CacheKit makes for itself consolidate flushes, at the head of the
 * pipeline (below every Lettuce handler, TLS included), after the customizer they extend ran.
 */
class FlushConsolidationTest {

	@Test
	void flushesAreConsolidatedAtTheHeadAfterTheNextCustomizer() {
		List<String> calls = new ArrayList<>();
		NettyCustomizer first = new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				calls.add("next");
				channel.pipeline().addLast("lettuce-like", new ChannelOutboundHandlerAdapter());
			}

		};
		EmbeddedChannel channel = new EmbeddedChannel();
		try {
			FlushConsolidation.after(first).afterChannelInitialized(channel);
			assertThat(calls).containsExactly("next");
			assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
			assertThat(channel.pipeline().names()).containsSubsequence("cachekit-flush-consolidation", "lettuce-like");
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void writesQueuedTogetherGoOutInOneFlushAndInOrder() {
		EmbeddedChannel channel = new EmbeddedChannel();
		try {
			FlushConsolidation.after(new NettyCustomizer() {
			}).afterChannelInitialized(channel);
			AtomicInteger flushes = new AtomicInteger();
			channel.pipeline().addFirst("socket-side", new ChannelOutboundHandlerAdapter() {

				@Override
				public void flush(ChannelHandlerContext ctx) {
					flushes.incrementAndGet();
					ctx.flush();
				}

			});
			// three callers' write-and-flush tasks queued on the channel's thread before it runs them
			channel.eventLoop().execute(() -> channel.writeAndFlush("a"));
			channel.eventLoop().execute(() -> channel.writeAndFlush("b"));
			channel.eventLoop().execute(() -> channel.writeAndFlush("c"));
			assertThat((Object) channel.readOutbound()).as("nothing flushed before the thread ran its tasks").isNull();
			channel.runPendingTasks();
			assertThat((Object) channel.readOutbound()).isEqualTo("a");
			assertThat((Object) channel.readOutbound()).isEqualTo("b");
			assertThat((Object) channel.readOutbound()).isEqualTo("c");
			assertThat(flushes).as("flushes that reached the socket").hasValue(1);
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

}
