package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Client resources built through {@link CacheKitClientResources} give their channels flush
 * consolidation at the head of the pipeline, after an application's customizer when one is kept.
 */
class CacheKitClientResourcesTest {

	@Test
	void builtResourcesConsolidateFlushesOnEveryChannel() {
		ClientResources resources = CacheKitClientResources.builder().ioThreadPoolSize(2).build();
		try {
			assertThat(headOf(resources.nettyCustomizer())).isInstanceOf(FlushConsolidationHandler.class);
		}
		finally {
			resources.shutdown();
		}
	}

	@Test
	void anApplicationsCustomizerRunsFirst() {
		List<String> calls = new ArrayList<>();
		NettyCustomizer customizer = CacheKitClientResources.nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				calls.add("application");
			}

		});
		assertThat(headOf(customizer)).isInstanceOf(FlushConsolidationHandler.class);
		assertThat(calls).containsExactly("application");
	}

	private static Object headOf(NettyCustomizer customizer) {
		EmbeddedChannel channel = new EmbeddedChannel();
		try {
			customizer.afterChannelInitialized(channel);
			return channel.pipeline().first();
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

}
