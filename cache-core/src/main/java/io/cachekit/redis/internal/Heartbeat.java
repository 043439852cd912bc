package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.near.FlushCause;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * Proves, while a near cache is registered, every connection reads are kept for alive, in step
 * and still receiving invalidations, at a fixed interval, even when every read is a local hit and
 * no command goes out (Redis' client-side caching documentation recommends pinging the
 * invalidation channel for this reason). Each beat, on each connection:
 * <ol>
 * <li>{@code PSETEX} of a key of the heartbeat's own (outside the backend's prefix, unless the
 * prefix overlaps it), which Redis tracks for this connection: it invalidates it back to this
 * very connection;</li>
 * <li>{@code STRLEN} of it, so Redis tracks it again for the next beat (default tracking mode);</li>
 * <li>a check ({@link Link#check()}): a fence covering both, condemning the connection unless it
 * comes back in step within the command timeout (the connection is suspect when it is late).</li>
 * </ol>
 * When the check comes back and the key was tracked, its invalidation must have arrived before it
 * (a push is written to the connection before the replies of commands after the write): if none
 * did, invalidations are being lost on this connection, and what was read on it is flushed
 * ({@link FlushCause#INVALIDATION_LOST}). A single lost push of another key cannot be seen this way;
 * the near cache's {@code max-local-ttl} bounds that.
 */
final class Heartbeat implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	/** The heartbeat's keys start with this. */
	static final String KEY_PREFIX = "__cachekit:heartbeat:";

	private final ClientTracking tracking;

	private final RedisConnector connector;

	/** Where the heartbeat's keys live: outside the backend's prefix unless one contains the other. */
	private final String keyPrefix;

	private final boolean overlapsPrefix;

	private final String instance;

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicLong lastLostLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(10));

	private volatile boolean unsupported;

	private @Nullable ScheduledFuture<?> task;

	private @Nullable Duration interval;

	private boolean closed;

	Heartbeat(ClientTracking tracking, RedisConnector connector, String prefix) {
		this.tracking = tracking;
		this.connector = connector;
		this.overlapsPrefix = prefix.startsWith(KEY_PREFIX) || KEY_PREFIX.startsWith(prefix);
		this.keyPrefix = this.overlapsPrefix ? prefix + KEY_PREFIX : KEY_PREFIX;
		byte[] id = new byte[6];
		new SecureRandom().nextBytes(id);
		this.instance = HexFormat.of().formatHex(id);
	}

	/** The extra broadcast prefix tracking needs for the heartbeat's keys; {@code null} when inside the backend's. */
	@Nullable String broadcastPrefix() {
		return this.overlapsPrefix ? null : KEY_PREFIX;
	}

	boolean isHeartbeatKey(String redisKey) {
		return redisKey.startsWith(this.keyPrefix);
	}

	/** Beats at {@code every} from now on, unless it already beats as often or more. */
	synchronized void every(Duration every) {
		if (this.interval != null && this.interval.compareTo(every) <= 0) {
			return;
		}
		if (this.task != null) {
			this.task.cancel(false);
			this.task = null;
		}
		this.interval = every;
		ensureRunning();
	}

	/**
	 * Starts beating once the client's executors exist (a near cache registers before the backend
	 * connects): called again with every new connection.
	 */
	synchronized void ensureRunning() {
		Duration every = this.interval;
		if (this.task == null && every != null && !this.closed) {
			this.task = this.connector.scheduleAtFixedRate(this::beat, every);
		}
	}

	private void beat() {
		if (!this.tracking.isRegistered()) {
			return;
		}
		// a task that throws is never run again: nothing may escape
		try {
			beatEach();
		}
		catch (RuntimeException ex) {
			logger.debug("Heartbeat failed: {}", RedisConnector.rootMessage(ex));
		}
	}

	private void beatEach() {
		for (ManagedConnection connection : this.connector.connections()) {
			Link link = connection.link();
			TrackedConnection tracked = (link != null) ? link.tracking() : null;
			if (link != null && tracked != null && !link.isCondemned()) {
				try {
					beat(link, tracked);
				}
				catch (RuntimeException ex) {
					// a connection closing under us: its loss is reported by its own events
					logger.debug("Heartbeat on {} failed: {}", connection, RedisConnector.rootMessage(ex));
				}
			}
		}
	}

	private void beat(Link link, TrackedConnection tracked) {
		if (this.unsupported || !tracked.acknowledged()) {
			link.check();
			return;
		}
		String key = keyFor(link, tracked);
		// in this order: a disarm after the first read is seen by the count, one before it by the flag
		long disarmsBefore = tracked.heartbeatDisarms();
		boolean armed = tracked.heartbeatArmed();
		long pushesBefore = tracked.heartbeatPushes();
		Duration every = this.interval;
		long ttl = Math.max(1_000, 3 * ((every != null) ? every.toMillis() : 1_000));
		byte[] value = Long.toString(this.sequence.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
		CompletableFuture<String> written = link.send((r) -> r.psetex(key, ttl, value));
		written.whenComplete((ok, ex) -> {
			if (ex != null && !(ex instanceof io.lettuce.core.RedisConnectionException)
					&& RedisConnector.rootMessage(ex).contains("NOPERM")) {
				this.unsupported = true;
				logger.warn("The near cache's heartbeat cannot write its key ({}); connections are still checked, "
						+ "but lost invalidations are bounded by max-local-ttl alone", RedisConnector.rootMessage(ex));
			}
		});
		link.send((r) -> r.strlen(key)).whenComplete((length, ex) -> {
			if (ex == null) {
				tracked.heartbeatArmed(true);
			}
		});
		link.check().whenComplete((proven, ex) -> {
			// judged only when the key was tracked before, written now (not MOVED elsewhere by a
			// resharding or a failover), and no server flush untracked it meanwhile
			boolean wrote = written.isDone() && !written.isCompletedExceptionally() && "OK".equals(written.getNow(null));
			if (Boolean.TRUE.equals(proven) && armed && wrote && tracked.heartbeatDisarms() == disarmsBefore
					&& tracked.heartbeatPushes() == pushesBefore && !tracked.isLost() && !this.unsupported) {
				invalidationLost(link, tracked);
			}
		});
	}

	private void invalidationLost(Link link, TrackedConnection tracked) {
		long now = System.nanoTime();
		long last = this.lastLostLog.get();
		if (now - last > TimeUnit.SECONDS.toNanos(10) && this.lastLostLog.compareAndSet(last, now)) {
			logger.warn("Invalidations are being lost on {}: the near cache drops what was read on it", tracked.origin());
		}
		this.tracking.flush(FlushCause.INVALIDATION_LOST, tracked.origin());
	}

	/** The heartbeat's key on {@code link}: on a cluster, one whose slot that node serves. */
	private String keyFor(Link link, TrackedConnection tracked) {
		String address = link.address();
		ClusterRoute cluster = this.connector.cluster();
		String known = tracked.heartbeatKey();
		if (known != null && (address == null || cluster == null || ownedBy(cluster, known, address))) {
			return known;
		}
		String base = this.keyPrefix + this.instance;
		String key = base;
		if (address != null && cluster != null) {
			for (int tag = 0; tag < 100_000; tag++) {
				String candidate = base + ":{" + tag + "}";
				if (ownedBy(cluster, candidate, address)) {
					key = candidate;
					break;
				}
			}
		}
		tracked.heartbeatKey(key);
		tracked.heartbeatArmed(this.broadcastPrefix() != null && tracked.heartbeatArmed());
		return key;
	}

	private static boolean ownedBy(ClusterRoute cluster, String key, String address) {
		RedisClusterNode owner = cluster.topology().getPartitions().getMasterBySlot(SlotHash.getSlot(key));
		return owner != null && owner.getUri() != null && address.equals(ClusterRoute.address(owner.getUri()));
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.task != null) {
			this.task.cancel(false);
			this.task = null;
		}
	}

}
