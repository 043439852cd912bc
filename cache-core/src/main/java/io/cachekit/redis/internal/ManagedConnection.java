package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.near.Tracking;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * One connection CacheKit sends on, kept under one discipline whatever the topology (the single
 * server's, Sentinel's master, each Redis Cluster master's): every command goes through a
 * {@link Link} whose {@link ReplyFence} proves each reply is its command's; the connection is
 * condemned, closed and replaced in the background when the fence finds it out of step or silent,
 * or when it is lost. Lettuce's own reconnect is off on these connections: a reconnected socket
 * would keep the commands a blackhole swallowed in its stack, and every later reply would land on
 * an older command.
 * <p>
 * Each attempt to connect is bounded by a timer (the connect timeout plus the command timeout):
 * an attempt whose future never completes cannot stop the retries.
 */
final class ManagedConnection {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	private static final long MAX_RETRY_MILLIS = 2_000;

	private static final long REPLACEMENT_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Told about one connection's life; called on Lettuce threads: must be quick. */
	interface Events {

		/** A new link, before it is published: nothing was sent on it yet. */
		default void created(Link link) {
		}

		/** A new link replaced a lost or condemned one and is published. */
		default void replaced(Link link) {
		}

		/** A command on {@code link} went unanswered past its deadline, or a check was late. */
		default void suspect(Link link) {
		}

		/** {@code link} is gone (condemned or lost): told once per link, before it closes. */
		default void lost(Link link) {
		}

	}

	private final String name;

	private final Supplier<CompletionStage<StatefulRedisConnection<String, byte[]>>> connector;

	private final Duration commandTimeout;

	private final Duration attemptTimeout;

	private final CommandDeadlines deadlines;

	private final EventExecutorGroup executors;

	private final Events events;

	private final boolean logReplacements;

	private final Tracking.Origin origin;

	private final @Nullable String address;

	private volatile @Nullable Link link;

	/** Completed with the first link published; callers of a node never connected yet wait for it. */
	private final CompletableFuture<Link> firstLink = new CompletableFuture<>();

	private volatile boolean closed;

	private long retryMillis = 100;

	private @Nullable ScheduledFuture<?> pendingRetry;

	private boolean connecting;

	private final AtomicLong lastReplacementLog = new AtomicLong(System.nanoTime() - REPLACEMENT_LOG_NANOS - 1);

	/**
	 * @param name where it connects, credentials masked (for logs)
	 * @param connector makes one connection (asynchronously)
	 * @param address the cluster node's address ("host:port"); {@code null} for a single connection
	 * @param origin what reads on its links are kept for (a node's stays the node's across connections)
	 * @param logReplacements whether a replacement is logged at INFO/WARN (the main connection),
	 *     else at DEBUG (a cluster node's, whose loss the cluster's own events report)
	 */
	ManagedConnection(String name, @Nullable String address, Tracking.Origin origin,
			Supplier<CompletionStage<StatefulRedisConnection<String, byte[]>>> connector, Duration commandTimeout,
			Duration connectTimeout, CommandDeadlines deadlines, EventExecutorGroup executors, Events events,
			boolean logReplacements) {
		this.name = name;
		this.address = address;
		this.origin = origin;
		this.connector = connector;
		this.commandTimeout = commandTimeout;
		this.attemptTimeout = connectTimeout.plus(commandTimeout);
		this.deadlines = deadlines;
		this.executors = executors;
		this.events = events;
		this.logReplacements = logReplacements;
	}

	/** Connects once, waiting for it; throws what the attempt failed with. */
	void connectNow() {
		StatefulRedisConnection<String, byte[]> made;
		try {
			made = bounded(this.connector.get()).join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
		synchronized (this) {
			if (this.closed) {
				made.closeAsync();
				return;
			}
			this.link = attach(made);
		}
		this.firstLink.complete(this.link);
	}

	/**
	 * The live link; for a connection that never had one yet, the first one once it is up (a
	 * cluster node learnt of from a redirect or a new topology), failing after {@code wait}.
	 */
	CompletableFuture<Link> linkOrFirst(Duration wait) {
		Link current = this.link;
		if (current != null) {
			return CompletableFuture.completedFuture(current);
		}
		if (this.firstLink.isDone()) {
			return CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("Not connected to " + this.name));
		}
		return this.firstLink.copy().orTimeout(wait.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Connects in the background, now and until it succeeds (unless one is up or on its way). */
	synchronized void connectInBackground() {
		if (this.closed || this.link != null || this.connecting || this.pendingRetry != null) {
			return;
		}
		this.retryMillis = 10;
		scheduleRetry();
	}

	/** The live link, or {@code null} while none is established. */
	@Nullable Link link() {
		return this.link;
	}

	boolean isConnected() {
		Link current = this.link;
		return current != null && current.connection().isOpen();
	}



	private Link attach(StatefulRedisConnection<String, byte[]> connection) {
		Link[] made = new Link[1];
		ReplyFence fence = new ReplyFence(connection, this.deadlines, this.executors, this.commandTimeout,
				(broken, cause, reason) -> condemn(made[0], cause, reason), () -> onSuspect(made[0]));
		fence.announce();
		made[0] = new Link(connection, connection.async(), this.deadlines, fence, this.origin, this.address);
		connection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
				condemn(made[0], ReplyFence.Cause.LOST, "connection lost");
			}

		});
		this.events.created(made[0]);
		return made[0];
	}

	private void onSuspect(Link suspect) {
		if (this.link == suspect) {
			this.events.suspect(suspect);
		}
	}

	/**
	 * Gives up {@code condemned}: fails what its fence holds, tells the events at once (so a near
	 * cache flushes now, not when the socket finally closes), closes it (which fails every command
	 * still queued on it) and connects anew in the background. Calls meanwhile fail with
	 * {@code CONNECTION} (a miss in fail-open).
	 */
	void condemn(@Nullable Link condemned, ReplyFence.Cause cause, String reason) {
		if (condemned == null || !condemned.condemn()) {
			return;
		}
		boolean current;
		synchronized (this) {
			current = this.link == condemned;
			if (current) {
				this.link = null;
				this.retryMillis = 10;
			}
		}
		long now = System.nanoTime();
		long last = this.lastReplacementLog.get();
		// A lost connection is Lettuce's to report; a silent or out-of-step one only we can see.
		if (this.logReplacements && cause != ReplyFence.Cause.LOST && now - last > REPLACEMENT_LOG_NANOS
				&& this.lastReplacementLog.compareAndSet(last, now)) {
			logger.warn("Dropping the connection to {}: {}; reconnecting", this.name, reason);
		}
		else {
			logger.debug("Dropping the connection to {}: {}; reconnecting", this.name, reason);
		}
		ReplyFence fence = condemned.fence();
		if (fence != null) {
			fence.close(reason);
		}
		this.events.lost(condemned);
		if (cause == ReplyFence.Cause.UNRESPONSIVE) {
			// Commands still on it time out as they would have (TIMEOUT, not CONNECTION); then it goes.
			try {
				this.executors.schedule(() -> condemned.connection().closeAsync(), this.commandTimeout.toMillis(),
						TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException rejected) {
				condemned.connection().closeAsync();
			}
		}
		else {
			condemned.connection().closeAsync();
		}
		if (current) {
			scheduleRetry();
		}
	}

	private synchronized void scheduleRetry() {
		if (this.closed || this.pendingRetry != null || this.connecting) {
			return;
		}
		long delay = this.retryMillis;
		this.retryMillis = Math.min(this.retryMillis * 2, MAX_RETRY_MILLIS);
		try {
			this.pendingRetry = this.executors.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException rejected) {
			// the executors are shutting down: so is the backend
		}
	}

	private void retry() {
		synchronized (this) {
			this.pendingRetry = null;
			if (this.closed || this.link != null) {
				return;
			}
			this.connecting = true;
		}
		CompletionStage<StatefulRedisConnection<String, byte[]>> attempt;
		try {
			attempt = this.connector.get();
		}
		catch (RuntimeException ex) {
			attempt = CompletableFuture.failedFuture(ex);
		}
		bounded(attempt).whenComplete((conn, ex) -> {
			if (ex != null) {
				logger.debug("Still cannot connect to {}: {}", this.name, RedisConnector.rootMessage(ex));
				synchronized (this) {
					this.connecting = false;
				}
				scheduleRetry();
				return;
			}
			Link made = null;
			synchronized (this) {
				this.connecting = false;
				if (!this.closed && this.link == null) {
					made = attach(conn);
					this.link = made;
					this.retryMillis = 100;
				}
			}
			if (made == null) {
				conn.closeAsync();
				return;
			}
			if (this.logReplacements) {
				logger.info("Connected to {}", this.name);
			}
			this.firstLink.complete(made);
			this.events.replaced(made);
		});
	}

	/**
	 * {@code attempt}, failed by a timer when it has not completed in time; a connection that
	 * arrives after the timer fired is closed.
	 */
	private CompletableFuture<StatefulRedisConnection<String, byte[]>> bounded(
			CompletionStage<StatefulRedisConnection<String, byte[]>> attempt) {
		CompletableFuture<StatefulRedisConnection<String, byte[]>> result = new CompletableFuture<>();
		AtomicBoolean settled = new AtomicBoolean();
		ScheduledFuture<?> timer;
		try {
			timer = this.executors.schedule(() -> {
				if (settled.compareAndSet(false, true)) {
					result.completeExceptionally(new io.lettuce.core.RedisConnectionException(
							"no connection within " + this.attemptTimeout.toMillis() + " ms"));
				}
			}, this.attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException rejected) {
			timer = null;
		}
		ScheduledFuture<?> ownTimer = timer;
		attempt.whenComplete((conn, ex) -> {
			if (ownTimer != null) {
				ownTimer.cancel(false);
			}
			if (!settled.compareAndSet(false, true)) {
				if (conn != null) {
					conn.closeAsync();
				}
				return;
			}
			if (ex != null) {
				result.completeExceptionally(ex);
			}
			else {
				result.complete(conn);
			}
		});
		return result;
	}

	/** Closes the link, stops retrying. Idempotent. */
	void close(String reason) {
		Link current;
		ScheduledFuture<?> pending;
		synchronized (this) {
			this.closed = true;
			current = this.link;
			this.link = null;
			pending = this.pendingRetry;
			this.pendingRetry = null;
		}
		if (pending != null) {
			pending.cancel(false);
		}
		if (current != null) {
			current.condemn();
			ReplyFence fence = current.fence();
			if (fence != null) {
				fence.close(reason);
			}
			current.connection().close();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
