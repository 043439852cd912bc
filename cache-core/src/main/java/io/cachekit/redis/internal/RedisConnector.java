package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.near.Tracking;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.EventExecutorGroup;
import reactor.core.Disposable;

/**
 * Owns the Lettuce client and the connections CacheKit sends on, each a {@link ManagedConnection}
 * with its reply proof: on a single server or Sentinel one; on a Redis Cluster one per master
 * ({@link ClusterRoute}), with Lettuce's cluster connection kept for the topology alone. When Redis
 * cannot be reached at start-up in fail-open mode, it keeps trying in the background (backing off
 * up to a few seconds) and starts serving as soon as Redis answers.
 */
final class RedisConnector {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

	private static final long MAX_RETRY_MILLIS = 2_000;

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

	/** The cluster's node connections' client (a plain client: our node connections are single ones). */
	private @Nullable RedisClient nodeClient;

	/** The single server's (or Sentinel's master's) connection. */
	private volatile @Nullable ManagedConnection single;

	/** The cluster's routes, once its topology was loaded. */
	private volatile @Nullable ClusterRoute cluster;

	private volatile boolean closed;

	private volatile @Nullable Disposable topologyEvents;

	private final java.util.Map<String, Tracking.Origin> nodeOrigins = new java.util.concurrent.ConcurrentHashMap<>();

	private long retryMillis = 100;

	private @Nullable ScheduledFuture<?> pendingRetry;

	/** Told about every connection's life (each cluster node's too). */
	private volatile ManagedConnection.Events events = new ManagedConnection.Events() {
	};

	/** Told when a new connection replaced a lost or condemned one. */
	private volatile Runnable onReconnected = () -> {
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
			// Resources of our own: their channels flush the commands of concurrent callers together.
			// (An application's resources are left as they are: their customizer is theirs.)
			resources = ClientResources.builder()
				.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
				.nettyCustomizer(FlushConsolidation.after(new NettyCustomizer() {
				}))
				.build();
			this.ownResources = resources;
		}
		this.client = LettuceClients.create(this.target, this.commandTimeout, this.connectTimeout, this.clientName,
				this.verifyMode, this.clientOptionsCustomizer, resources);
		this.deadlines.start(resources.eventExecutorGroup());
		try {
			if (this.client instanceof RedisClusterClient clusterClient) {
				connectCluster(clusterClient);
			}
			else {
				ManagedConnection made = singleConnection((RedisClient) this.client);
				this.single = made;
				made.connectNow();
			}
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
			ManagedConnection made = this.single;
			if (made != null) {
				made.connectInBackground();
			}
			else {
				scheduleClusterRetry();
			}
			return false;
		}
	}

	private ManagedConnection singleConnection(RedisClient standalone) {
		RedisURI uri = this.target.uris().get(0);
		return new ManagedConnection(this.target.toString(), null, new Tracking.Origin("connection"),
				() -> standalone.connectAsync(CODEC, uri),
				this.commandTimeout, this.connectTimeout, this.deadlines, executors(), relay(), true);
	}

	/** Loads the cluster's topology (blocking: Lettuce needs its partitions first), then connects to every master. */
	private void connectCluster(RedisClusterClient clusterClient) {
		StatefulRedisClusterConnection<String, byte[]> topology = clusterClient.connect(CODEC);
		RedisClient nodes = RedisClient.create(resources());
		nodes.setOptions(ClientOptions.copyOf(clusterClient.getOptions()).mutate().autoReconnect(false).build());
		RedisURI seed = this.target.uris().get(0);
		ClusterRoute route = new ClusterRoute(topology, (address) -> nodeConnection(nodes, seed, address, true),
				(address) -> nodeConnection(nodes, seed, address, false), clusterClient::refreshPartitionsAsync, this.commandTimeout);
		synchronized (this) {
			if (this.closed) {
				topology.closeAsync();
				nodes.shutdownAsync();
				return;
			}
			this.nodeClient = nodes;
			this.cluster = route;
		}
		route.connectMasters();
		this.topologyEvents = topology.getResources()
			.eventBus()
			.get()
			.ofType(ClusterTopologyChangedEvent.class)
			.subscribe((event) -> route.retireNonMasters());
		this.onReconnected.run();
	}

	private ManagedConnection nodeConnection(RedisClient nodes, RedisURI seed, String address, boolean tracked) {
		int colon = address.lastIndexOf(':');
		RedisURI uri = RedisURI.builder(seed)
			.withHost(address.substring(0, colon))
			.withPort(Integer.parseInt(address.substring(colon + 1)))
			.build();
		String name = this.target + " (node " + address + ")";
		Tracking.Origin origin = tracked ? nodeOrigin(address) : new Tracking.Origin("asking " + address);
		return new ManagedConnection(name, address, origin, () -> nodes.connectAsync(CODEC, uri), this.commandTimeout,
				this.connectTimeout, this.deadlines, executors(), tracked ? relay() : new ManagedConnection.Events() {
				}, false);
	}

	/**
	 * What was read on the cluster node at {@code address} is kept for: one origin per address for
	 * the backend's life, so a flush reaches what a retired node's connections read too.
	 */
	Tracking.Origin nodeOrigin(String address) {
		return this.nodeOrigins.computeIfAbsent(address, (a) -> new Tracking.Origin("node " + a));
	}

	/** The events of every connection go to whoever listens now (set once, before start). */
	private ManagedConnection.Events relay() {
		return new ManagedConnection.Events() {

			@Override
			public void created(Link link) {
				RedisConnector.this.events.created(link);
			}

			@Override
			public void replaced(Link link) {
				RedisConnector.this.events.replaced(link);
				RedisConnector.this.onReconnected.run();
			}

			@Override
			public void suspect(Link link) {
				RedisConnector.this.events.suspect(link);
			}

			@Override
			public void lost(Link link) {
				RedisConnector.this.events.lost(link);
			}

		};
	}

	private synchronized void scheduleClusterRetry() {
		if (this.closed || this.cluster != null) {
			return;
		}
		long delay = this.retryMillis;
		this.retryMillis = Math.min(this.retryMillis * 2, MAX_RETRY_MILLIS);
		this.pendingRetry = executors().schedule(this::retryCluster, delay, TimeUnit.MILLISECONDS);
	}

	private void retryCluster() {
		AbstractRedisClient current;
		synchronized (this) {
			this.pendingRetry = null;
			current = this.client;
			if (this.closed || this.cluster != null || !(current instanceof RedisClusterClient)) {
				return;
			}
		}
		try {
			connectCluster((RedisClusterClient) current);
			logger.info("Connected to {}", this.target);
		}
		catch (RuntimeException ex) {
			logger.debug("Still cannot connect to {}: {}", this.target, rootMessage(ex));
			scheduleClusterRetry();
		}
	}

	private ClientResources resources() {
		ClientResources resources = (this.sharedResources != null) ? this.sharedResources : this.ownResources;
		if (resources == null) {
			throw new IllegalStateException("closed");
		}
		return resources;
	}

	private EventExecutorGroup executors() {
		return resources().eventExecutorGroup();
	}

	/** Runs {@code callback} (quickly, on a Lettuce thread) whenever a new connection is up. */
	void onReconnected(Runnable callback) {
		this.onReconnected = callback;
	}

	/** Tells {@code listener} about every connection's life, each cluster node's included. */
	void events(ManagedConnection.Events listener) {
		this.events = listener;
	}

	/** Where commands go now, or {@code null} while not connected. */
	@Nullable Route route() {
		ClusterRoute routes = this.cluster;
		if (routes != null) {
			return routes;
		}
		return link();
	}

	/** The single connection's live link (not on a cluster), or {@code null} while none is established. */
	@Nullable Link link() {
		ManagedConnection current = this.single;
		return (current != null) ? current.link() : null;
	}

	/** The cluster's routes, or {@code null} (not a cluster, or its topology not loaded yet). */
	@Nullable ClusterRoute cluster() {
		return this.cluster;
	}

	/** Every connection commands are sent on now (the heartbeat proves each). */
	List<ManagedConnection> connections() {
		ClusterRoute routes = this.cluster;
		if (routes != null) {
			return routes.connections();
		}
		ManagedConnection current = this.single;
		return (current != null) ? List.of(current) : List.of();
	}

	/** Schedules {@code task} on the client's executors; {@code null} when closed. */
	@Nullable ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		try {
			return executors().scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException closedAlready) {
			return null;
		}
	}

	/** Where every command sent must be registered, to be bounded by the command timeout. */
	CommandDeadlines deadlines() {
		return this.deadlines;
	}

	boolean isCluster() {
		return this.target.isCluster();
	}

	boolean isConnected() {
		ClusterRoute routes = this.cluster;
		if (routes != null) {
			return routes.topology().isOpen() && routes.connections().stream().anyMatch(ManagedConnection::isConnected);
		}
		ManagedConnection current = this.single;
		return current != null && current.isConnected();
	}

	/**
	 * Closes the connections and the client. State changes under the lock; the waiting happens
	 * outside it, because a background retry running on the executors being shut down needs the
	 * lock to see that it must stop.
	 */
	void close(Duration timeout) {
		ManagedConnection one;
		ClusterRoute routes;
		AbstractRedisClient current;
		RedisClient nodes;
		ClientResources resources;
		ScheduledFuture<?> pending;
		synchronized (this) {
			this.closed = true;
			one = this.single;
			this.single = null;
			routes = this.cluster;
			this.cluster = null;
			current = this.client;
			this.client = null;
			nodes = this.nodeClient;
			this.nodeClient = null;
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
		if (one != null) {
			one.close("the backend is shutting down");
		}
		Disposable subscription = this.topologyEvents;
		if (subscription != null) {
			subscription.dispose();
		}
		if (routes != null) {
			routes.close("the backend is shutting down");
			routes.topology().close();
		}
		if (nodes != null) {
			nodes.shutdown(Duration.ZERO, timeout);
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
