package io.cachekit.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * Routes commands on a Redis Cluster through connections CacheKit owns, one per master, each a
 * {@link ManagedConnection} with its own reply proof and condemnation. Lettuce's cluster
 * connection is kept for what it does well, the topology (partitions, refreshed periodically and
 * on demand), and carries no command of ours: a command sent through it would leave on one of
 * Lettuce's pooled node connections, which no fence of ours can see.
 * <p>
 * A key's command goes to the master that owns its slot in the current partitions. A
 * {@code MOVED} reply (the slot moved) asks for a topology refresh and sends the command again to
 * the node it names. An {@code ASK} reply (the slot is being migrated) sends {@code ASKING} and the
 * command to the node it names, on a connection of that node used for nothing else and by one
 * caller at a time, so no other command can come between the two.
 */
final class ClusterRoute implements Route {

	private static final int MAX_REDIRECTS = 3;

	private final StatefulRedisClusterConnection<String, byte[]> topology;

	private final Function<String, ManagedConnection> nodeConnections;

	private final Map<String, ManagedConnection> nodes = new ConcurrentHashMap<>();

	private final Map<String, ManagedConnection> asking = new ConcurrentHashMap<>();

	private final Function<String, ManagedConnection> askingConnections;

	private final Runnable refresh;

	private final java.time.Duration firstConnectWait;

	/** When a topology refresh was last asked for ({@link System#nanoTime()}): at most one per 100 ms. */
	private final java.util.concurrent.atomic.AtomicLong lastRefresh = new java.util.concurrent.atomic.AtomicLong(
			System.nanoTime() - 1_000_000_000L);

	/**
	 * @param topology Lettuce's cluster connection, for its partitions only
	 * @param nodeConnections makes the managed connection of a node ("host:port"), not yet connected
	 * @param askingConnections makes the connection used for {@code ASK} redirects to a node
	 * @param refresh asks Lettuce to reload the partitions
	 */
	ClusterRoute(StatefulRedisClusterConnection<String, byte[]> topology,
			Function<String, ManagedConnection> nodeConnections, Function<String, ManagedConnection> askingConnections,
			Runnable refresh, java.time.Duration firstConnectWait) {
		this.refresh = refresh;
		this.firstConnectWait = firstConnectWait;
		this.topology = topology;
		this.nodeConnections = nodeConnections;
		this.askingConnections = askingConnections;
	}

	/**
	 * Connects to every master now, waiting for each (a master that cannot be reached is retried in
	 * the background), so that the first calls find their links ready.
	 */
	void connectMasters() {
		for (RedisClusterNode master : masterNodes()) {
			ManagedConnection connection = this.nodes.computeIfAbsent(address(master.getUri()), this.nodeConnections);
			try {
				connection.connectNow();
			}
			catch (RuntimeException ex) {
				connection.connectInBackground();
			}
		}
	}

	StatefulRedisClusterConnection<String, byte[]> topology() {
		return this.topology;
	}

	@Override
	public <V> CompletableFuture<V> onLink(Function<Link, ? extends CompletionStage<V>> body) {
		// No key: any master answers (PING, INFO). The first one connected.
		for (RedisClusterNode master : masterNodes()) {
			Link link = node(address(master.getUri())).link();
			if (link != null) {
				return body.apply(link).toCompletableFuture();
			}
		}
		return CompletableFuture.failedFuture(new RedisConnectionException("Not connected to any cluster master"));
	}

	@Override
	public Route forKey(String redisKey) {
		return new KeyRoute(SlotHash.getSlot(redisKey));
	}

	@Override
	public List<Route> masters() {
		List<Route> routes = new ArrayList<>();
		for (RedisClusterNode master : masterNodes()) {
			routes.add(new NodeRoute(address(master.getUri())));
		}
		return routes;
	}

	/** The id of the master that owns {@code redisKey}'s slot, or {@code null} when unknown. */
	@Nullable String nodeIdFor(String redisKey) {
		RedisClusterNode owner = this.topology.getPartitions().getMasterBySlot(SlotHash.getSlot(redisKey));
		return (owner != null) ? owner.getNodeId() : null;
	}

	/** Every managed connection to a master, for the heartbeat and for shutdown. */
	List<ManagedConnection> connections() {
		return new ArrayList<>(this.nodes.values());
	}

	/** The managed connection of the node at {@code address}, made (and connecting) on first use. */
	ManagedConnection node(String address) {
		ManagedConnection known = this.nodes.get(address);
		if (known != null) {
			return known;
		}
		ManagedConnection made = this.nodes.computeIfAbsent(address, this.nodeConnections);
		made.connectInBackground();
		return made;
	}

	/**
	 * Closes the connections of nodes that no longer serve slots as masters (a failed-over or
	 * removed master), so nothing keeps reconnecting to them; a node that serves slots again gets a
	 * new one on first use.
	 */
	void retireNonMasters() {
		java.util.Set<String> masters = new java.util.HashSet<>();
		for (RedisClusterNode master : masterNodes()) {
			masters.add(address(master.getUri()));
		}
		retireAllBut(this.nodes, masters);
		retireAllBut(this.asking, masters);
	}

	private static void retireAllBut(Map<String, ManagedConnection> connections, java.util.Set<String> masters) {
		for (String address : List.copyOf(connections.keySet())) {
			if (!masters.contains(address)) {
				ManagedConnection retired = connections.remove(address);
				if (retired != null) {
					retired.close("the node no longer serves slots as a master");
				}
			}
		}
	}

	/** Closes every node connection. */
	void close(String reason) {
		this.nodes.values().forEach((connection) -> connection.close(reason));
		this.asking.values().forEach((connection) -> connection.close(reason));
	}

	/** Asks for the partitions again (a slot moved, or has no master), at most once per 100 ms. */
	void refreshTopology() {
		long now = System.nanoTime();
		long last = this.lastRefresh.get();
		if (now - last > 100_000_000L && this.lastRefresh.compareAndSet(last, now)) {
			this.refresh.run();
		}
	}

	@SuppressWarnings("deprecation") // Lettuce parses "master" into UPSTREAM, older versions into MASTER
	private List<RedisClusterNode> masterNodes() {
		Partitions partitions = this.topology.getPartitions();
		List<RedisClusterNode> masters = new ArrayList<>();
		for (RedisClusterNode node : partitions) {
			boolean master = node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.is(RedisClusterNode.NodeFlag.MASTER);
			if (master && !node.getSlots().isEmpty() && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
				masters.add(node);
			}
		}
		return masters;
	}

	static String address(RedisURI uri) {
		return uri.getHost() + ":" + uri.getPort();
	}

	private <V> CompletableFuture<V> onNode(String address, Function<Link, ? extends CompletionStage<V>> body) {
		ManagedConnection connection = node(address);
		Link link = connection.link();
		if (link != null) {
			return body.apply(link).toCompletableFuture();
		}
		// a node never connected yet (named by a redirect or a new topology): wait for its first link
		return connection.linkOrFirst(this.firstConnectWait).thenCompose(body);
	}

	private <V> CompletableFuture<V> redirected(Throwable failure, Function<Link, ? extends CompletionStage<V>> body,
			int redirects) {
		Redirect redirect = Redirect.of(failure);
		if (redirect == null || redirects >= MAX_REDIRECTS) {
			return CompletableFuture.failedFuture(failure);
		}
		if (!redirect.ask) {
			refreshTopology();
			return onNode(redirect.address, body).exceptionallyCompose((ex) -> redirected(ex, body, redirects + 1));
		}
		ManagedConnection connection = this.asking.computeIfAbsent(redirect.address, (address) -> {
			ManagedConnection made = this.askingConnections.apply(address);
			made.connectInBackground();
			return made;
		});
		return connection.linkOrFirst(this.firstConnectWait).thenCompose((link) -> {
			synchronized (connection) {
				// ASKING holds for the next command only: nothing else is sent on this connection meanwhile
				link.send((r) -> r.asking());
				return body.apply(link);
			}
		});
	}

	/** The master owning one slot, as the partitions say when the command is sent. */
	private final class KeyRoute implements Route {

		private final int slot;

		KeyRoute(int slot) {
			this.slot = slot;
		}

		@Override
		public <V> CompletableFuture<V> onLink(Function<Link, ? extends CompletionStage<V>> body) {
			RedisClusterNode owner = ClusterRoute.this.topology.getPartitions().getMasterBySlot(this.slot);
			if (owner == null) {
				ClusterRoute.this.refreshTopology();
				return CompletableFuture.failedFuture(new RedisConnectionException("No master serves slot " + this.slot));
			}
			return onNode(address(owner.getUri()), body).exceptionallyCompose((ex) -> redirected(ex, body, 0));
		}

		@Override
		public Route forKey(String redisKey) {
			return ClusterRoute.this.forKey(redisKey);
		}

		@Override
		public List<Route> masters() {
			return ClusterRoute.this.masters();
		}

	}

	/** One master, by address: a SCAN walks each master's own keys. */
	private final class NodeRoute implements Route {

		private final String address;

		NodeRoute(String address) {
			this.address = address;
		}

		@Override
		public <V> CompletableFuture<V> onLink(Function<Link, ? extends CompletionStage<V>> body) {
			return onNode(this.address, body);
		}

		@Override
		public Route forKey(String redisKey) {
			return ClusterRoute.this.forKey(redisKey);
		}

		@Override
		public List<Route> masters() {
			return List.of(this);
		}

	}

	/** A {@code MOVED} or {@code ASK} error reply: where the slot is served now. */
	private record Redirect(boolean ask, String address) {

		static @Nullable Redirect of(Throwable failure) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
					: failure;
			if (!(cause instanceof RedisCommandExecutionException) || cause.getMessage() == null) {
				return null;
			}
			String[] parts = cause.getMessage().split(" ");
			if (parts.length < 3 || !(parts[0].equals("MOVED") || parts[0].equals("ASK"))) {
				return null;
			}
			return new Redirect(parts[0].equals("ASK"), parts[2]);
		}

	}

}
