package io.cachekit.redis.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.cachekit.near.FlushCause;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import reactor.core.Disposable;

/**
 * On a Redis Cluster, drops what was read on a master that a topology refresh shows lost slots or
 * its master role (a failover, a resharding): its invalidations no longer cover keys now written
 * elsewhere. What was read on other masters stays. Why that is safe: an entry read on master N is
 * a key N held; the key leaving N by MIGRATE, DEL, expiry or FLUSH makes N invalidate it; only a
 * failover or a lost connection can leave it unvouched, and those flush N's reads.
 */
final class TopologyFlushes implements AutoCloseable {

	private final ClientTracking tracking;

	private final RedisConnector connector;

	private @Nullable Disposable events;

	TopologyFlushes(ClientTracking tracking, RedisConnector connector) {
		this.tracking = tracking;
		this.connector = connector;
	}

	/** Starts listening once the cluster's topology connection is up. Idempotent; nothing on a single server. */
	synchronized void watch() {
		ClusterRoute cluster = this.connector.cluster();
		if (this.events != null || cluster == null) {
			return;
		}
		this.events = cluster.topology()
			.getResources()
			.eventBus()
			.get()
			.ofType(ClusterTopologyChangedEvent.class)
			.subscribe(this::onTopologyChanged);
	}

	private void onTopologyChanged(ClusterTopologyChangedEvent event) {
		ClusterRoute cluster = this.connector.cluster();
		if (cluster == null) {
			return;
		}
		for (RedisClusterNode before : event.before()) {
			if (!isMaster(before) || before.getUri() == null) {
				continue;
			}
			RedisClusterNode after = find(event.after(), before.getNodeId());
			boolean lostSlots = after == null || !isMaster(after) || !before.getSlots().stream().allMatch(after::hasSlot);
			if (lostSlots) {
				this.tracking.flush(FlushCause.TOPOLOGY, this.connector.nodeOrigin(ClusterRoute.address(before.getUri())));
			}
		}
	}

	private static @Nullable RedisClusterNode find(List<RedisClusterNode> nodes, @Nullable String id) {
		for (RedisClusterNode node : nodes) {
			if (id != null && id.equals(node.getNodeId())) {
				return node;
			}
		}
		return null;
	}

	@SuppressWarnings("deprecation") // Lettuce parses "master" into UPSTREAM, older versions into MASTER
	private static boolean isMaster(RedisClusterNode node) {
		return node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.is(RedisClusterNode.NodeFlag.MASTER);
	}

	@Override
	public synchronized void close() {
		if (this.events != null) {
			this.events.dispose();
			this.events = null;
		}
	}

}
