package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Owns the Lettuce client and its one multiplexed connection. When Redis cannot be reached at
 * start-up in fail-open mode, it keeps trying in the background (backing off up to a few seconds)
 * and starts serving as soon as Redis answers; once connected, Lettuce's own reconnect takes over.
 */
final class RedisConnector {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final long MAX_RETRY_MILLIS = 2_000;

	private static final long REPLACEMENT_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final RedisTarget target;

	private final Duration commandTimeout;

	private final Duration connectTimeout;

	private final @Nullable String clientName;

	private final io.lettuce.core.@Nullable SslVerifyMode verifyMode;

	private final Consumer<ClientOptions.Builder> clientOptionsCustomizer;

	private final @Nullable ClientResources sharedResources;

	private final CommandDeadlines deadlines;

	private @Nullable ClientResources ownResources;

	private @Nullable AbstractRedisClient client;

	private volatile @Nullable Link link;

	private final AtomicLong lastReplacementLog = new AtomicLong(System.nanoTime() - REPLACEMENT_LOG_NANOS - 1);

	private volatile boolean closed;

	private long retryMillis = 100;

	/** Told when a new connection replaced a lost or condemned one. */
	private volatile Runnable onReconnected = () -> {
	};

	private @Nullable ScheduledFuture<?> pendingRetry;

	/** Told about each new connection before it is published, so nothing was sent on it yet. */
	private volatile Consumer<Link> onNewLink = (link) -> {
	};

	RedisConnector(RedisTarget target, Duration commandTimeout, Duration connectTimeout, @Nullable String clientName,
			io.lettuce.core.@Nullable SslVerifyMode verifyMode, Consumer<ClientOptions.Builder> clientOptionsCustomizer,
			@Nullable ClientResources sharedResources) {
		this.target = target;
		this.commandTimeout = commandTimeout;
		this.connectTimeout = connectTimeout;
		this.clientName = clientName;
		this.verifyMode = verifyMode;
		this.clientOptionsCustomizer = clientOptionsCustomizer;
		this.sharedResources = sharedResources;
		this.deadlines = new CommandDeadlines(commandTimeout);
	}

	/**
	 * Creates the client and connects once.
	 * @param keepTrying whether a failed first attempt schedules more in the background (fail-open)
	 *     instead of throwing
	 * @return whether the connection is up
	 */
	synchronized boolean start(boolean keepTrying) {
		Transports.checkUnixSockets(this.target.uris(), this.target.toString());
		this.closed = false;
		ClientResources resources = this.sharedResources;
		if (resources == null) {
			resources = ClientResources.builder()
				.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
				.build();
			this.ownResources = resources;
		}
		this.client = LettuceClients.create(this.target, this.commandTimeout, this.connectTimeout, this.clientName,
				this.verifyMode, this.clientOptionsCustomizer, resources);
		this.deadlines.start(resources.eventExecutorGroup());
		try {
			connect();
			return true;
		}
		catch (RuntimeException ex) {
			if (!keepTrying) {
				close(Duration.ZERO);
				throw new CacheException(ErrorCode.CONNECTION,
						"Could not connect to " + this.target + ": " + rootMessage(ex), null);
			}
			logger.warn("Could not connect to {} ({}); serving as a cache miss and retrying in the background",
					this.target, rootMessage(ex));
			scheduleRetry();
			return false;
		}
	}

	private void connect() {
		try {
			this.link = link(connectAsync().toCompletableFuture().join());
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/**
	 * Connects without blocking a thread (retries run on Lettuce's executors, which time commands
	 * out too), except for a cluster, whose first connection needs its partitions loaded first.
	 */
	private CompletionStage<? extends StatefulConnection<String, byte[]>> connectAsync() {
		AbstractRedisClient current = this.client;
		if (current instanceof RedisClusterClient cluster) {
			try {
				return CompletableFuture.completedFuture(cluster.connect(CODEC));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		if (current instanceof RedisClient standalone) {
			return standalone.connectAsync(CODEC, this.target.uris().get(0));
		}
		return CompletableFuture.failedFuture(new IllegalStateException("closed"));
	}

	private Link link(StatefulConnection<String, byte[]> conn) {
		if (conn instanceof StatefulRedisClusterConnection<String, byte[]> cluster) {
			Link made = new Link(conn, cluster.async(), this.deadlines, null);
			this.onNewLink.accept(made);
			return made;
		}
		StatefulRedisConnection<String, byte[]> single = (StatefulRedisConnection<String, byte[]>) conn;
		ClientResources resources = (this.sharedResources != null) ? this.sharedResources : this.ownResources;
		Executor fenceSender = (resources != null) ? resources.eventExecutorGroup() : ForkJoinPool.commonPool();
		ReplyFence fence = new ReplyFence(single, this.deadlines, fenceSender, this.commandTimeout, this::condemn);
		single.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
				condemn(fence, ReplyFence.Cause.LOST, "connection lost");
			}

		});
		Link made = new Link(conn, single.async(), this.deadlines, fence);
		this.onNewLink.accept(made);
		return made;
	}

	/**
	 * Gives up a connection whose fence found it out of step or unresponsive: closes it (which fails
	 * every command still queued on it) and connects anew in the background. Calls meanwhile fail
	 * with {@code CONNECTION} (a miss in fail-open) and soon open the circuit breaker.
	 */
	private void condemn(ReplyFence fence, ReplyFence.Cause cause, String reason) {
		Link condemned;
		ClientResources resources;
		synchronized (this) {
			condemned = this.link;
			if (this.closed || condemned == null || condemned.fence() != fence) {
				return;
			}
			this.link = null;
			this.retryMillis = 10;
			resources = (this.sharedResources != null) ? this.sharedResources : this.ownResources;
		}
		long now = System.nanoTime();
		long last = this.lastReplacementLog.get();
		// A lost connection is Lettuce's to report; a silent or out-of-step one only we can see.
		if (cause != ReplyFence.Cause.LOST && now - last > REPLACEMENT_LOG_NANOS
				&& this.lastReplacementLog.compareAndSet(last, now)) {
			logger.warn("Dropping the connection to {}: {}; reconnecting", this.target, reason);
		}
		else {
			logger.debug("Dropping the connection to {}: {}; reconnecting", this.target, reason);
		}
		fence.close(reason);
		if (cause == ReplyFence.Cause.UNRESPONSIVE && resources != null) {
			// Commands still on it time out as they would have (TIMEOUT, not CONNECTION); then it goes.
			resources.eventExecutorGroup().schedule(() -> condemned.connection().closeAsync(),
					this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		else {
			condemned.connection().closeAsync();
		}
		scheduleRetry();
	}

	private synchronized void scheduleRetry() {
		ClientResources resources = (this.sharedResources != null) ? this.sharedResources : this.ownResources;
		if (resources == null || this.closed) {
			return;
		}
		long delay = this.retryMillis;
		this.retryMillis = Math.min(this.retryMillis * 2, MAX_RETRY_MILLIS);
		this.pendingRetry = resources.eventExecutorGroup().schedule(this::retry, delay, TimeUnit.MILLISECONDS);
	}

	private void retry() {
		synchronized (this) {
			this.pendingRetry = null;
			if (this.closed || this.link != null) {
				return;
			}
		}
		CompletionStage<? extends StatefulConnection<String, byte[]>> attempt;
		try {
			attempt = connectAsync();
		}
		catch (RuntimeException ex) {
			attempt = CompletableFuture.failedFuture(ex);
		}
		attempt.whenComplete((conn, ex) -> {
			if (ex != null) {
				logger.debug("Still cannot connect to {}: {}", this.target, rootMessage(ex));
				scheduleRetry();
				return;
			}
			synchronized (this) {
				if (!this.closed && this.link == null) {
					this.link = link(conn);
					this.retryMillis = 100;
					logger.info("Connected to {}", this.target);
					this.onReconnected.run();
					return;
				}
			}
			conn.closeAsync();
		});
	}

	/** Runs {@code callback} (quickly, on a Lettuce thread) whenever a new connection is up. */
	void onReconnected(Runnable callback) {
		this.onReconnected = callback;
	}

	/** Runs {@code callback} (quickly, on a Lettuce thread) with each new connection, before it is published. */
	void onNewLink(Consumer<Link> callback) {
		this.onNewLink = callback;
	}

	/** The live connection, or {@code null} while none is established. */
	@Nullable Link link() {
		return this.link;
	}

	/** Where every command sent must be registered, to be bounded by the command timeout. */
	CommandDeadlines deadlines() {
		return this.deadlines;
	}

	boolean isCluster() {
		return this.target.isCluster();
	}

	boolean isConnected() {
		Link current = this.link;
		return current != null && current.connection().isOpen();
	}

	/**
	 * Closes the connection and the client. State changes under the lock; the waiting happens
	 * outside it, because a background retry running on the executors being shut down needs the
	 * lock to see that it must stop.
	 */
	void close(Duration timeout) {
		Link conn;
		AbstractRedisClient current;
		ClientResources resources;
		ScheduledFuture<?> pending;
		synchronized (this) {
			this.closed = true;
			conn = this.link;
			this.link = null;
			current = this.client;
			this.client = null;
			resources = this.ownResources;
			this.ownResources = null;
			pending = this.pendingRetry;
			this.pendingRetry = null;
			this.retryMillis = 100;
		}
		if (pending != null) {
			pending.cancel(false);
		}
		this.deadlines.stop();
		if (conn != null) {
			ReplyFence fence = conn.fence();
			if (fence != null) {
				fence.close("the backend is shutting down");
			}
			conn.connection().close();
		}
		if (current != null) {
			current.shutdown(Duration.ZERO, timeout);
		}
		if (resources != null) {
			long millis = Math.max(timeout.toMillis(), 100);
			resources.shutdown(0, millis, TimeUnit.MILLISECONDS).awaitUninterruptibly(millis + 1000);
		}
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		// Lettuce's messages may quote a URI; its masking shows the password's length
		return UrlCredentials.maskText((root == ex) ? message : ex.getMessage() + " (" + message + ")");
	}

}
