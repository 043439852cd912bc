package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.near.Tracking;
import io.cachekit.near.TrackingMode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.protocol.ProtocolVersion;

/**
 * One single connection as client tracking sees it, for as long as it stays up: whether Redis
 * acknowledged {@code CLIENT TRACKING} on it, whether it was lost since, and the
 * {@link Tracking.Origin} of what was read on it. A reconnected connection is a new
 * {@code TrackedConnection}: tracking is per connection, and lost with it.
 */
final class TrackedConnection {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	private final Link link;

	private final Tracking.Origin origin;

	/** Invalidation pushes of the heartbeat's own key seen on this connection. */
	private final java.util.concurrent.atomic.AtomicLong heartbeatPushes = new java.util.concurrent.atomic.AtomicLong();

	/** Whether Redis tracks the heartbeat's key for this connection (read on it, or broadcast mode). */
	private volatile boolean heartbeatArmed;

	/** The heartbeat's key on this connection ({@code null} until the first beat chose it). */
	private volatile @Nullable String heartbeatKey;

	/** Set once Redis acknowledged CLIENT TRACKING on this connection. */
	private volatile boolean acknowledged;

	/** Set once the connection was lost: nothing read on it is kept from then on. */
	private volatile boolean lost;

	TrackedConnection(Link link) {
		this.link = link;
		this.origin = link.origin();
	}

	Link link() {
		return this.link;
	}

	Tracking.Origin origin() {
		return this.origin;
	}

	/**
	 * Whether what is read on it now may be kept: tracking acknowledged, connection not lost and
	 * not in doubt (a command or a check unanswered in time since the last proof).
	 */
	boolean keepable() {
		return this.acknowledged && !this.lost && !this.link.isSuspect();
	}

	boolean acknowledged() {
		return this.acknowledged;
	}

	/** Server flushes seen (a null invalidation): each untracks every key, the heartbeat's too. */
	private final java.util.concurrent.atomic.AtomicLong heartbeatDisarms = new java.util.concurrent.atomic.AtomicLong();

	/** A server flush untracked the heartbeat's key: the next beat re-arms it. */
	void heartbeatDisarm() {
		this.heartbeatDisarms.incrementAndGet();
		this.heartbeatArmed = false;
	}

	long heartbeatDisarms() {
		return this.heartbeatDisarms.get();
	}

	/**
	 * An invalidation of the heartbeat's key arrived: counted, and the key is no longer tracked
	 * (Redis forgets a key once it invalidated it) until the beat's read tracks it again.
	 */
	void heartbeatPush() {
		this.heartbeatArmed = false;
		this.heartbeatPushes.incrementAndGet();
	}

	long heartbeatPushes() {
		return this.heartbeatPushes.get();
	}

	boolean heartbeatArmed() {
		return this.heartbeatArmed;
	}

	void heartbeatArmed(boolean armed) {
		this.heartbeatArmed = armed;
	}

	@Nullable String heartbeatKey() {
		return this.heartbeatKey;
	}

	void heartbeatKey(String key) {
		this.heartbeatKey = key;
	}

	boolean isLost() {
		return this.lost;
	}

	/**
	 * Marks it lost (once) and moves its origin's generation on.
	 * @return whether this call marked it
	 */
	synchronized boolean markLost() {
		if (this.lost) {
			return false;
		}
		this.lost = true;
		this.origin.moveOn();
		return true;
	}

	/**
	 * Sends {@code CLIENT TRACKING ON} (in broadcast mode with {@code prefix}, and the heartbeat's
	 * prefix when given: broadcast prefixes must not overlap); reads sent before Redis acknowledged
	 * it are not kept.
	 */
	void enable(TrackingMode mode, String prefix, @Nullable String heartbeatPrefix) {
		if (!(this.link.connection() instanceof StatefulRedisConnectionImpl<?, ?> impl)
				|| impl.getConnectionState().getNegotiatedProtocolVersion() != ProtocolVersion.RESP3) {
			logger.warn("The near cache needs RESP3 (Redis 6 or later, protocol not forced to RESP2); "
					+ "it keeps nothing on this connection");
			return;
		}
		TrackingArgs args = TrackingArgs.Builder.enabled();
		if (mode == TrackingMode.BROADCAST) {
			if (heartbeatPrefix != null) {
				args.bcast().prefixes(StandardCharsets.UTF_8, prefix, heartbeatPrefix);
				this.heartbeatArmed = true;
			}
			else {
				args.bcast().prefixes(StandardCharsets.UTF_8, prefix);
			}
		}
		this.link.send((r) -> r.clientTracking(args)).whenComplete((reply, ex) -> {
			if (ex == null && "OK".equals(reply)) {
				this.acknowledged = true;
			}
			else {
				logger.warn("Redis refused CLIENT TRACKING ({}); the near cache keeps nothing on this connection",
						(ex != null) ? RedisConnector.rootMessage(ex) : reply);
			}
		});
	}

	/**
	 * Reads {@code redisKey} and its remaining TTL on this connection (GET and PTTL in one script).
	 * The read may be kept only if the connection was keepable when it was sent and was not lost
	 * before the reply.
	 */
	CompletableFuture<Tracking.Read> read(String redisKey) {
		return read(this.link, redisKey, this);
	}

	/**
	 * Reads {@code redisKey} with its TTL on {@code link}, kept only if {@code tracked} (may be
	 * {@code null}: a read on a connection that tracks nothing) vouches for it.
	 */
	static CompletableFuture<Tracking.Read> read(Link link, String redisKey, @Nullable TrackedConnection tracked) {
		long sentAt = System.nanoTime();
		boolean keepableAtSend = tracked != null && tracked.keepable();
		Tracking.Origin origin = (tracked != null) ? tracked.origin : null;
		long generation = (origin != null) ? origin.generation() : 0;
		CompletionStage<List<Object>> reply = Script.READ_WITH_TTL.run(link, ScriptOutputType.MULTI,
				new String[] { redisKey });
		return reply.thenApply((values) -> {
			byte[] bytes = (values != null && !values.isEmpty() && values.get(0) instanceof byte[] b) ? b : null;
			long millis = (values != null && values.size() > 1 && values.get(1) instanceof Long l) ? l : -2;
			return new Tracking.Read(bytes, millis, keepableAtSend && !tracked.lost, sentAt, origin, generation);
		}).toCompletableFuture();
	}

}
