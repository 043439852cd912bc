package io.cachekit.redis;

import io.cachekit.redis.internal.FlushConsolidation;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;

/**
 * Lettuce client resources tuned as the ones a {@link RedisCacheBackend} makes for itself when it
 * is given none: every channel gets Netty's {@code FlushConsolidationHandler} at the head of its
 * pipeline, so the commands that concurrent callers hand to a connection's I/O thread together
 * go out in one flush (one system call) instead of one each, and CacheKit's reply proof sends one
 * connection check per such batch instead of one per command (a handler at the tail of the
 * pipeline, inert on connections of other clients). Replies keep their order; a lone caller waits
 * for no timer. For resources an application builds for CacheKit itself (to add
 * tracing, say) and passes to {@link RedisCacheBackendBuilder}; resources shared with other
 * clients need not take it.
 *
 * <pre>
 * ClientResources resources = CacheKitClientResources.builder().ioThreadPoolSize(4).build();
 * </pre>
 */
public final class CacheKitClientResources {

	private CacheKitClientResources() {
	}

	/**
	 * A {@link ClientResources#builder()} with CacheKit's Netty customizer.
	 * @return the builder, to configure further and build
	 */
	public static ClientResources.Builder builder() {
		return customize(ClientResources.builder());
	}

	/**
	 * Sets CacheKit's Netty customizer on {@code builder}, replacing a customizer set on it before
	 * (use {@link #nettyCustomizer(NettyCustomizer)} to keep one).
	 * @param builder the builder to customize
	 * @return the same builder
	 */
	public static ClientResources.Builder customize(ClientResources.Builder builder) {
		return builder.nettyCustomizer(nettyCustomizer(new NettyCustomizer() {
		}));
	}

	/**
	 * CacheKit's Netty customizer: {@code next} first, then flush consolidation at the head of
	 * every channel and the reply proof's batch handler at its tail.
	 * @param next a customizer of the application's, run first
	 * @return the customizer to give {@link ClientResources.Builder#nettyCustomizer}
	 */
	public static NettyCustomizer nettyCustomizer(NettyCustomizer next) {
		return FlushConsolidation.after(next);
	}

}
