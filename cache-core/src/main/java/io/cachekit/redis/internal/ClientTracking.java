package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.near.FlushCause;
import io.cachekit.near.Tracking;
import io.cachekit.near.TrackingMode;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.protocol.ProtocolVersion;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The engine's {@link Tracking}: enables RESP3 {@code CLIENT TRACKING} on every new connection
 * before the connector publishes it (so every read sent on it is sent after it), turns Redis'
 * invalidation pushes and the connection's loss and replacement into events for the near caches,
 * and reads a value with its remaining TTL. Push messages are not replies: Lettuce hands them to
 * push listeners, never to a command, so the {@link ReplyFence}'s counts are unaffected.
 */
final class ClientTracking implements Tracking {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	/** One connection as tracking sees it. */
	private static final class Tracked {

		final Link link;

		/** Set once Redis acknowledged CLIENT TRACKING on this connection. */
		volatile boolean acknowledged;

		/** Set once the connection was lost: nothing read on it is kept from then on. */
		volatile boolean lost;

		Tracked(Link link) {
			this.link = link;
		}

	}

	private final CommandRunner runner;

	private final Keys keys;

	private final Executor decodeExecutor;

	private final boolean cluster;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private @Nullable TrackingMode mode;

	private volatile @Nullable Tracked current;

	ClientTracking(CommandRunner runner, Keys keys, Executor decodeExecutor, boolean cluster) {
		this.runner = runner;
		this.keys = keys;
		this.decodeExecutor = decodeExecutor;
		this.cluster = cluster;
	}

	@Override
	public Registration register(TrackingMode trackingMode, Listener listener) {
		if (this.cluster) {
			throw new IllegalStateException("The near cache is not supported on a Redis Cluster yet: turn it off "
					+ "(app.cache.near-cache.enabled=false, or no nearCache(...) on the builder)");
		}
		Tracked toEnable = null;
		synchronized (this) {
			if (this.mode != null && this.mode != trackingMode) {
				throw new IllegalArgumentException("Every near cache of one backend must use the same tracking mode: "
						+ this.mode + " was chosen first, not " + trackingMode);
			}
			if (this.mode == null) {
				this.mode = trackingMode;
				toEnable = this.current;
			}
			this.listeners.add(listener);
		}
		if (toEnable != null) {
			// registered after the connection came up: reads sent before the acknowledgement are not kept
			enable(toEnable, trackingMode);
		}
		return () -> this.listeners.remove(listener);
	}

	/** Called by the connector with each new connection, before any command can be sent on it. */
	void onNewLink(Link link) {
		Tracked tracked = new Tracked(link);
		Tracked previous;
		TrackingMode trackingMode;
		synchronized (this) {
			previous = this.current;
			this.current = tracked;
			trackingMode = this.mode;
		}
		if (previous != null) {
			previous.lost = true;
			// the old connection's invalidations may have been missed
			fanOutFlush(FlushCause.RECONNECTED);
		}
		if (link.connection() instanceof StatefulRedisConnection<String, byte[]> single) {
			single.addListener(this::onPush);
			single.addListener(new RedisConnectionStateListener() {

				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
					lost(tracked);
				}

			});
		}
		if (trackingMode != null) {
			enable(tracked, trackingMode);
		}
	}

	private void lost(Tracked tracked) {
		if (tracked.lost) {
			return;
		}
		tracked.lost = true;
		for (Listener listener : this.listeners) {
			listener.disconnected();
		}
	}

	private void enable(Tracked tracked, TrackingMode trackingMode) {
		if (!(tracked.link.connection() instanceof StatefulRedisConnectionImpl<?, ?> impl)
				|| impl.getConnectionState().getNegotiatedProtocolVersion() != ProtocolVersion.RESP3) {
			logger.warn("The near cache needs RESP3 (Redis 6 or later, protocol not forced to RESP2); "
					+ "it keeps nothing on this connection");
			return;
		}
		TrackingArgs args = TrackingArgs.Builder.enabled();
		if (trackingMode == TrackingMode.BROADCAST) {
			args.bcast().prefixes(StandardCharsets.UTF_8, this.keys.prefix());
		}
		tracked.link.send((r) -> r.clientTracking(args)).whenComplete((reply, ex) -> {
			if (ex == null && "OK".equals(reply)) {
				tracked.acknowledged = true;
			}
			else {
				logger.warn("Redis refused CLIENT TRACKING ({}); the near cache keeps nothing on this connection",
						(ex != null) ? RedisConnector.rootMessage(ex) : reply);
			}
		});
	}

	private void onPush(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent();
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (!(keys instanceof List<?> list)) {
			// a null list: FLUSHDB / FLUSHALL, or the server's tracking table was reset
			fanOutFlush(FlushCause.SERVER_FLUSH);
			return;
		}
		String prefix = this.keys.prefix();
		for (Object key : list) {
			String redisKey = text(key);
			if (redisKey != null && redisKey.startsWith(prefix)) {
				String unprefixed = this.keys.unprefix(redisKey);
				for (Listener listener : this.listeners) {
					listener.invalidated(unprefixed, true);
				}
			}
		}
	}

	private static @Nullable String text(@Nullable Object key) {
		if (key instanceof ByteBuffer buffer) {
			return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
		}
		if (key instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (key instanceof String text) ? text : null;
	}

	private void fanOutFlush(FlushCause cause) {
		for (Listener listener : this.listeners) {
			listener.flushed(cause);
		}
	}

	@Override
	public CompletableFuture<Read> read(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("get", k, Read.UNAVAILABLE, Policy.ABSORB, null, (c) -> {
				Tracked tracked = this.current;
				long sentAt = System.nanoTime();
				boolean trackedAtSend = tracked != null && tracked.link == c && tracked.acknowledged && !tracked.lost;
				CompletableFuture<byte[]> value = c.send((r) -> r.get(k));
				CompletableFuture<Long> ttl = c.send((r) -> r.pttl(k));
				return value.thenCombine(ttl, (bytes, millis) -> new Read(bytes, (millis != null) ? millis : -2,
						trackedAtSend && !tracked.lost, sentAt));
			}, (read) -> (read != null) ? read : Read.UNAVAILABLE);
		});
	}

	@Override
	public void written(String key) {
		for (Listener listener : this.listeners) {
			listener.invalidated(key, false);
		}
	}

	@Override
	public void cleared() {
		fanOutFlush(FlushCause.CLEAR);
	}

	@Override
	public Executor decodeExecutor() {
		return this.decodeExecutor;
	}

}
