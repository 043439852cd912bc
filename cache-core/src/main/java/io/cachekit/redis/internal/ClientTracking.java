package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.FlushCause;
import io.cachekit.near.Tracking;
import io.cachekit.near.TrackingMode;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The engine's {@link Tracking}: enables RESP3 {@code CLIENT TRACKING} on every connection a near
 * cache reads on before any read sent on it can be kept (on a single server or Sentinel the one
 * connection, before the connector publishes it; on a cluster each master's, see
 * {@link NodeTracking}), turns Redis' invalidation pushes and the connections' loss and
 * replacement into events for the near caches, and reads a value with its remaining TTL. Push
 * messages are not replies: Lettuce hands them to push listeners, never to a command, so the
 * {@link ReplyFence}'s counts are unaffected.
 */
final class ClientTracking implements Tracking, AutoCloseable {

	private final CommandRunner runner;

	private final Keys keys;

	private final Executor decodeExecutor;

	private final @Nullable NodeTracking nodes;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable TrackingMode mode;

	/** The single connection's tracking (not on a cluster). */
	private volatile @Nullable TrackedConnection current;

	ClientTracking(CommandRunner runner, Keys keys, Executor decodeExecutor, boolean cluster,
			CommandDeadlines deadlines) {
		this.runner = runner;
		this.keys = keys;
		this.decodeExecutor = decodeExecutor;
		this.nodes = cluster ? new NodeTracking(this, deadlines) : null;
	}

	@Override
	public Registration register(TrackingMode trackingMode, Listener listener) {
		boolean first;
		synchronized (this) {
			if (this.mode != null && this.mode != trackingMode) {
				throw new IllegalArgumentException("Every near cache of one backend must use the same tracking mode: "
						+ this.mode + " was chosen first, not " + trackingMode);
			}
			first = this.mode == null;
			this.mode = trackingMode;
			this.listeners.add(listener);
		}
		if (first) {
			// registered after connections came up: reads sent before the acknowledgement are not kept
			TrackedConnection single = this.current;
			if (single != null) {
				enable(single);
			}
			if (this.nodes != null) {
				this.nodes.enableAll();
			}
		}
		return () -> this.listeners.remove(listener);
	}

	/** Enables tracking on {@code connection} in the registered mode, once a near cache registered. */
	void enable(TrackedConnection connection) {
		TrackingMode trackingMode = this.mode;
		if (trackingMode != null) {
			connection.enable(trackingMode, this.keys.prefix());
		}
	}

	/** Called by the connector with each new connection, before any command can be sent on it. */
	void onNewLink(Link link) {
		if (this.nodes != null) {
			this.nodes.onClusterLink(link);
			return;
		}
		if (!(link.connection() instanceof StatefulRedisConnection<String, byte[]> single)) {
			return;
		}
		TrackedConnection tracked = new TrackedConnection(link, new Origin("connection"));
		TrackedConnection previous;
		synchronized (this) {
			previous = this.current;
			this.current = tracked;
		}
		if (previous != null) {
			previous.markLost();
			// the old connection's invalidations may have been missed
			fanOutFlush(FlushCause.RECONNECTED);
		}
		single.addListener((PushListener) (message) -> onPush(message, null));
		single.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
				if (tracked.markLost()) {
					for (Listener listener : ClientTracking.this.listeners) {
						listener.disconnected();
					}
				}
			}

		});
		enable(tracked);
	}

	/**
	 * Handles a push message of a tracked connection.
	 * @param origin the cluster node it came from; {@code null} for the single connection
	 */
	void onPush(PushMessage message, @Nullable Origin origin) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent();
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (!(keys instanceof List<?> list)) {
			// a null list: FLUSHDB / FLUSHALL, or the server's tracking table was reset
			if (origin != null) {
				flush(FlushCause.SERVER_FLUSH, origin);
			}
			else {
				fanOutFlush(FlushCause.SERVER_FLUSH);
			}
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

	/** A cluster node's connection was lost: its origin's generation was moved on already. */
	void lost(Origin origin) {
		for (Listener listener : this.listeners) {
			listener.disconnected(origin);
		}
	}

	/** Everything read on {@code origin} goes (a cluster node replaced, flushed or moved). */
	void flush(FlushCause cause, Origin origin) {
		origin.moveOn();
		for (Listener listener : this.listeners) {
			listener.flushed(cause, origin);
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
			NodeTracking cluster = this.nodes;
			return this.runner.run("get", k, Read.UNAVAILABLE, Policy.ABSORB, null,
					(c) -> (cluster != null) ? cluster.read(c, k) : readSingle(c, k),
					(read) -> (read != null) ? read : Read.UNAVAILABLE);
		});
	}

	private CompletableFuture<Read> readSingle(Link link, String redisKey) {
		TrackedConnection tracked = this.current;
		return TrackedConnection.read(link, redisKey, (tracked != null && tracked.link() == link) ? tracked : null);
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

	@Override
	public void close() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

}
