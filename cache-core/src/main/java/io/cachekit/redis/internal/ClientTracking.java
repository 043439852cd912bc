package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.FlushCause;
import io.cachekit.near.Tracking;
import io.cachekit.near.TrackingMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The engine's {@link Tracking}: enables RESP3 {@code CLIENT TRACKING} on every connection reads
 * are sent on (the single server's or Sentinel's one, each Redis Cluster master's) before it is
 * published, so a read sent on it can be kept; turns Redis' invalidation pushes and each
 * connection's doubt, loss and replacement into events for the near caches, for that connection's
 * {@link Tracking.Origin} alone; reads a value with its remaining TTL. Push messages are not
 * replies: Lettuce hands them to push listeners, never to a command, so the {@link ReplyFence}'s
 * counts are unaffected. While a near cache is registered, a {@link Heartbeat} proves every
 * connection alive at its interval.
 */
final class ClientTracking implements Tracking, ManagedConnection.Events, AutoCloseable {

	private final CommandRunner runner;

	private final Keys keys;

	private final Executor decodeExecutor;

	private final RedisConnector connector;

	private final Heartbeat heartbeat;

	private final TopologyFlushes topology;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable TrackingMode mode;

	/** Every origin a link was made for, so that a later link of the same one flushes what the old one read. */
	private final java.util.Set<Origin> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

	ClientTracking(CommandRunner runner, Keys keys, Executor decodeExecutor, RedisConnector connector) {
		this.runner = runner;
		this.keys = keys;
		this.decodeExecutor = decodeExecutor;
		this.connector = connector;
		this.heartbeat = new Heartbeat(this, connector, keys.prefix());
		this.topology = new TopologyFlushes(this, connector);
	}

	@Override
	public Registration register(TrackingMode trackingMode, Listener listener) {
		return register(trackingMode, io.cachekit.near.NearCache.DEFAULT_HEARTBEAT, listener);
	}

	@Override
	public Registration register(TrackingMode trackingMode, Duration heartbeatInterval, Listener listener) {
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
		this.heartbeat.every(heartbeatInterval);
		if (first) {
			// registered after connections came up: reads sent before the acknowledgement are not kept
			for (ManagedConnection connection : this.connector.connections()) {
				Link link = connection.link();
				TrackedConnection tracked = (link != null) ? link.tracking() : null;
				if (tracked != null) {
					enable(tracked);
				}
			}
		}
		return () -> this.listeners.remove(listener);
	}

	/** Enables tracking on {@code connection} in the registered mode, once a near cache registered. */
	private void enable(TrackedConnection connection) {
		TrackingMode trackingMode = this.mode;
		if (trackingMode != null) {
			connection.enable(trackingMode, this.keys.prefix(), this.heartbeat.broadcastPrefix());
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public void created(Link link) {
		this.topology.watch();
		TrackedConnection tracked = new TrackedConnection(link);
		link.tracking(tracked);
		this.heartbeat.ensureRunning();
		if (!this.seen.add(link.origin())) {
			// a replacement: the old connection's invalidations may have been missed
			flush(FlushCause.RECONNECTED, link.origin());
		}
		((StatefulRedisConnection<String, byte[]>) link.connection())
			.addListener((PushListener) (message) -> onPush(message, tracked));
		enable(tracked);
	}

	@Override
	public void suspect(Link link) {
		TrackedConnection tracked = link.tracking();
		if (tracked == null) {
			return;
		}
		// reads in flight keep nothing; what was kept is flushed now in OutageMode.FLUSH
		tracked.origin().moveOn();
		for (Listener listener : this.listeners) {
			listener.suspect(tracked.origin());
		}
	}

	@Override
	public void lost(Link link) {
		TrackedConnection tracked = link.tracking();
		if (tracked != null && tracked.markLost()) {
			for (Listener listener : this.listeners) {
				listener.disconnected(tracked.origin());
			}
		}
	}

	/** Handles a push message of a tracked connection. */
	private void onPush(PushMessage message, TrackedConnection tracked) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent();
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (!(keys instanceof List<?> list)) {
			// a null list: FLUSHDB / FLUSHALL, or the server's tracking table was reset
			tracked.heartbeatDisarm();
			flush(FlushCause.SERVER_FLUSH, tracked.origin());
			return;
		}
		String prefix = this.keys.prefix();
		for (Object key : list) {
			String redisKey = text(key);
			if (redisKey == null) {
				continue;
			}
			if (this.heartbeat.isHeartbeatKey(redisKey)) {
				tracked.heartbeatPush();
			}
			else if (redisKey.startsWith(prefix)) {
				String unprefixed = this.keys.unprefix(redisKey);
				for (Listener listener : this.listeners) {
					listener.invalidated(unprefixed, true);
				}
			}
		}
	}

	/** Everything read on {@code origin} goes (a connection replaced, flushed, moved, or losing invalidations). */
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

	@Override
	public CompletableFuture<Read> read(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("get", k, Read.UNAVAILABLE, Policy.ABSORB, null,
					(c) -> c.onLink((link) -> TrackedConnection.read(link, k, link.tracking())),
					(read) -> (read != null) ? read : Read.UNAVAILABLE);
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
		for (Listener listener : this.listeners) {
			listener.flushed(FlushCause.CLEAR);
		}
	}

	@Override
	public Executor decodeExecutor() {
		return this.decodeExecutor;
	}

	/** Whether a near cache registered: the heartbeat runs only then. */
	boolean isRegistered() {
		return this.mode != null;
	}

	@Override
	public void close() {
		this.heartbeat.close();
		this.topology.close();
	}

}
