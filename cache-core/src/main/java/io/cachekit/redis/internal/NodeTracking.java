package io.cachekit.redis.internal;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.FlushCause;
import io.cachekit.near.Tracking;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import reactor.core.Disposable;

/**
 * Client tracking on a Redis Cluster: a near cache's read of a key goes to the connection of the
 * master that owns the key's slot (Lettuce's own connection to that node), where tracking was
 * enabled and acknowledged, so that node's invalidations cover it; every read kept has that node's
 * {@link Tracking.Origin}. What was read on a node is dropped, and nothing else, when its
 * connection is lost ({@link io.cachekit.near.OutageMode}) or replaced, when the node sends a
 * flush, and when a topology refresh shows it lost slots or its master role. A key that moved
 * (resharding) was deleted on its old node, which invalidated it; a read answered {@code MOVED} or
 * {@code ASK} is repeated through the cluster connection and not kept; a read of a node not yet
 * tracked is not kept either.
 */
final class NodeTracking implements AutoCloseable {

	/** One master node: its connection as Lettuce pools it, and that connection's tracking. */
	private static final class Node {

		final String id;

		final AtomicBoolean connecting = new AtomicBoolean();

		/** The connection whose events are listened to; events of an older one are ignored. */
		volatile @Nullable StatefulRedisConnection<String, byte[]> connection;

		volatile @Nullable TrackedConnection current;

		Node(String id) {
			this.id = id;
		}

	}

	private final ClientTracking tracking;

	private final CommandDeadlines deadlines;

	private final Map<String, Node> nodes = new ConcurrentHashMap<>();

	private volatile @Nullable StatefulRedisClusterConnection<String, byte[]> cluster;

	private @Nullable Disposable topologyEvents;

	NodeTracking(ClientTracking tracking, CommandDeadlines deadlines) {
		this.tracking = tracking;
		this.deadlines = deadlines;
	}

	/** Called with the cluster connection once it is up. */
	@SuppressWarnings("unchecked")
	synchronized void onClusterLink(Link link) {
		StatefulRedisClusterConnection<String, byte[]> connection = (StatefulRedisClusterConnection<String, byte[]>) link
			.connection();
		this.cluster = connection;
		if (this.topologyEvents == null) {
			this.topologyEvents = connection.getResources()
				.eventBus()
				.get()
				.ofType(ClusterTopologyChangedEvent.class)
				.subscribe(this::onTopologyChanged);
		}
	}

	/** Enables tracking on every node connection already tracked (a near cache registered late). */
	void enableAll() {
		for (Node node : this.nodes.values()) {
			TrackedConnection current = node.current;
			if (current != null) {
				this.tracking.enable(current);
			}
		}
	}

	/**
	 * Reads {@code redisKey} with its TTL on its master's tracked connection, or, while that is not
	 * ready or when the slot moved, through {@code routed} (the cluster connection), not to be kept.
	 */
	CompletableFuture<Tracking.Read> read(Link routed, String redisKey) {
		TrackedConnection tracked = trackedFor(redisKey);
		if (tracked == null || !tracked.keepable()) {
			return TrackedConnection.read(routed, redisKey, null);
		}
		return tracked.read(redisKey)
			.exceptionallyCompose((ex) -> redirected(ex) ? TrackedConnection.read(routed, redisKey, null)
					: CompletableFuture.failedFuture(ex));
	}

	private @Nullable TrackedConnection trackedFor(String redisKey) {
		StatefulRedisClusterConnection<String, byte[]> connection = this.cluster;
		if (connection == null) {
			return null;
		}
		RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(redisKey));
		if (master == null || master.getNodeId() == null) {
			return null;
		}
		Node node = this.nodes.computeIfAbsent(master.getNodeId(), Node::new);
		TrackedConnection current = node.current;
		if (current == null || (current.isLost() && !current.link().connection().isOpen())) {
			connect(connection, node);
		}
		return current;
	}

	private void connect(StatefulRedisClusterConnection<String, byte[]> connection, Node node) {
		if (!node.connecting.compareAndSet(false, true)) {
			return;
		}
		CompletableFuture<StatefulRedisConnection<String, byte[]>> made;
		try {
			made = connection.getConnectionAsync(node.id);
		}
		catch (RuntimeException ex) {
			node.connecting.set(false);
			return;
		}
		made.whenComplete((nodeConnection, ex) -> {
			try {
				if (ex == null && nodeConnection != null) {
					attach(node, nodeConnection);
				}
			}
			finally {
				node.connecting.set(false);
			}
		});
	}

	private void attach(Node node, StatefulRedisConnection<String, byte[]> connection) {
		synchronized (node) {
			if (node.connection == connection) {
				// Lettuce's same connection, reconnecting: its listeners replace its tracking
				return;
			}
			node.connection = connection;
		}
		connection.addListener((PushListener) (message) -> {
			TrackedConnection current = node.current;
			if (node.connection == connection && current != null) {
				this.tracking.onPush(message, current.origin());
			}
		});
		connection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
				if (node.connection == connection) {
					track(node, connection);
				}
			}

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
				TrackedConnection current = node.current;
				if (node.connection == connection && current != null && current.markLost()) {
					NodeTracking.this.tracking.lost(current.origin());
				}
			}

		});
		track(node, connection);
	}

	/** Starts tracking anew on {@code connection} (new, or reconnected): what the old one read goes. */
	private void track(Node node, StatefulRedisConnection<String, byte[]> connection) {
		TrackedConnection fresh = new TrackedConnection(new Link(connection, connection.async(), this.deadlines, null),
				new Tracking.Origin("node " + node.id));
		TrackedConnection previous;
		synchronized (node) {
			previous = node.current;
			node.current = fresh;
		}
		if (previous != null) {
			previous.markLost();
			this.tracking.flush(FlushCause.RECONNECTED, previous.origin());
		}
		this.tracking.enable(fresh);
	}

	private void onTopologyChanged(ClusterTopologyChangedEvent event) {
		for (Node node : this.nodes.values()) {
			RedisClusterNode before = find(event.before(), node.id);
			if (before == null || !isMaster(before)) {
				continue;
			}
			RedisClusterNode after = find(event.after(), node.id);
			boolean lostSlots = after == null || !isMaster(after)
					|| !before.getSlots().stream().allMatch(after::hasSlot);
			TrackedConnection current = node.current;
			if (lostSlots && current != null) {
				this.tracking.flush(FlushCause.TOPOLOGY, current.origin());
			}
		}
	}

	private static @Nullable RedisClusterNode find(List<RedisClusterNode> nodes, String id) {
		for (RedisClusterNode node : nodes) {
			if (id.equals(node.getNodeId())) {
				return node;
			}
		}
		return null;
	}

	@SuppressWarnings("deprecation") // Lettuce parses "master" into UPSTREAM, older versions into MASTER
	private static boolean isMaster(RedisClusterNode node) {
		return node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.is(RedisClusterNode.NodeFlag.MASTER);
	}

	/** Whether a read failed because its slot is served elsewhere now ({@code MOVED}, {@code ASK}). */
	private static boolean redirected(Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		String message = (cause instanceof RedisCommandExecutionException) ? cause.getMessage() : null;
		return message != null && (message.startsWith("MOVED") || message.startsWith("ASK"));
	}

	@Override
	public synchronized void close() {
		if (this.topologyEvents != null) {
			this.topologyEvents.dispose();
			this.topologyEvents = null;
		}
	}

}
