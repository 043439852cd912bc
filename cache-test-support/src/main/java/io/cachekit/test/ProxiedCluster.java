package io.cachekit.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A local 3+3 {@link RedisCluster} with a {@link FaultProxy} in front of its first master, which
 * announces the proxy's port to the cluster ({@code cluster-announce-port}; its bus port stays its
 * own, {@code cluster-announce-bus-port}, so gossip and failure detection never pass the proxy).
 * A cluster client therefore reaches that master's slots only through the proxy, and the proxy's
 * faults hit exactly one master; the other masters are reached directly. That master's replica
 * replicates through the proxy too (Redis follows the announced address), but the proxy never
 * drops from a replication link (see {@link FaultProxy}).
 *
 * <pre>{@code
 * try (ProxiedCluster cluster = ProxiedCluster.start()) {
 *     // a cluster backend on cluster.url(); keys with cluster.isOnProxiedMaster(key) go through cluster.proxy()
 * }
 * }</pre>
 */
public final class ProxiedCluster implements AutoCloseable {

	private final RedisCluster cluster;

	private final FaultProxy proxy;

	private final RedisProcess proxiedMaster;

	/** Each master's slot ranges ({@code {from, to}}, inclusive), as CLUSTER SLOTS gave them at the start. */
	private final Map<RedisProcess, List<int[]>> slotRanges;

	private ProxiedCluster(RedisCluster cluster, FaultProxy proxy, RedisProcess proxiedMaster,
			Map<RedisProcess, List<int[]>> slotRanges) {
		this.cluster = cluster;
		this.proxy = proxy;
		this.proxiedMaster = proxiedMaster;
		this.slotRanges = slotRanges;
	}

	/**
	 * Starts the cluster and the proxy, makes the first master announce the proxy's port, and waits
	 * until every node's {@code CLUSTER NODES} and {@code CLUSTER SLOTS} give that address.
	 * @throws IllegalStateException when the cluster does not take the announced address within 30 s
	 */
	public static ProxiedCluster start() {
		RedisCluster cluster = RedisCluster.start(3);
		FaultProxy proxy = null;
		try {
			RedisProcess master = cluster.masters().get(0);
			proxy = FaultProxy.start(master.host(), master.port());
			int proxyPort = proxy.port();
			Resp.call(master.host(), master.port(), "CONFIG", "SET", "cluster-announce-bus-port",
					Integer.toString(master.port() + 10000));
			Resp.call(master.host(), master.port(), "CONFIG", "SET", "cluster-announce-port", Integer.toString(proxyPort));
			String id = (String) Resp.call(master.host(), master.port(), "CLUSTER", "MYID");
			String announced = master.host() + ":" + proxyPort + "@" + (master.port() + 10000);
			await("every node to see " + announced + " for the proxied master", () -> cluster.nodes()
				.stream()
				.allMatch((node) -> nodesLine(node, id).contains(" " + announced + " ")
						&& slotsServedAt(node, proxyPort).length() > 0
						&& !nodesLine(node, id).contains(" " + master.host() + ":" + master.port() + "@")));
			Map<RedisProcess, List<int[]>> slotRanges = new LinkedHashMap<>();
			slotRanges.put(master, ranges(master, proxyPort));
			for (RedisProcess other : cluster.masters().subList(1, cluster.masters().size())) {
				slotRanges.put(other, ranges(master, other.port()));
			}
			return new ProxiedCluster(cluster, proxy, master, slotRanges);
		}
		catch (RuntimeException ex) {
			if (proxy != null) {
				proxy.close();
			}
			cluster.close();
			throw ex;
		}
	}

	/** The proxy in front of the first master. */
	public FaultProxy proxy() {
		return this.proxy;
	}

	/** The master behind the proxy (its real port, for reading what it holds without the proxy). */
	public RedisProcess proxiedMaster() {
		return this.proxiedMaster;
	}

	/** The masters reached directly. */
	public List<RedisProcess> directMasters() {
		return this.cluster.masters().stream().filter((m) -> m != this.proxiedMaster).toList();
	}

	/** The cluster itself (every node, at its real port). */
	public RedisCluster cluster() {
		return this.cluster;
	}

	/** Whether {@code key} (prefix included) lives on the proxied master. */
	public boolean isOnProxiedMaster(String key) {
		return masterOf(key) == this.proxiedMaster;
	}

	/**
	 * The master that holds {@code key} (prefix included), at its real port: the one to read it
	 * from without passing the proxy.
	 */
	public RedisProcess masterOf(String key) {
		int slot = ClusterSlots.slot(key);
		for (Map.Entry<RedisProcess, List<int[]>> entry : this.slotRanges.entrySet()) {
			for (int[] range : entry.getValue()) {
				if (slot >= range[0] && slot <= range[1]) {
					return entry.getKey();
				}
			}
		}
		throw new IllegalStateException("no master serves slot " + slot);
	}

	/** Seeds for a cluster client: the proxy and the direct masters, {@code redis://h:p,h:p,h:p}. */
	public String url() {
		List<String> seeds = new ArrayList<>();
		seeds.add("127.0.0.1:" + this.proxy.port());
		directMasters().forEach((m) -> seeds.add(m.host() + ":" + m.port()));
		return "redis://" + String.join(",", seeds);
	}

	@Override
	public void close() {
		this.proxy.close();
		this.cluster.close();
	}

	/** {@code master}'s line of a node's CLUSTER NODES. */
	private static String nodesLine(RedisProcess node, String id) {
		return ((String) Resp.call(node.host(), node.port(), "CLUSTER", "NODES")).lines()
			.filter((line) -> line.startsWith(id + " "))
			.findFirst()
			.orElse("");
	}

	/** The slot ranges a node's CLUSTER SLOTS gives to the master at {@code port}, as {@code from-to ...}. */
	private static String slotsServedAt(RedisProcess node, int port) {
		return ranges(node, port).stream().map((r) -> r[0] + "-" + r[1]).collect(Collectors.joining(" "));
	}

	/** The slot ranges {@code node}'s CLUSTER SLOTS gives to the master announced at {@code port}. */
	private static List<int[]> ranges(RedisProcess node, int port) {
		List<int[]> ranges = new ArrayList<>();
		for (Object entry : (List<?>) Resp.call(node.host(), node.port(), "CLUSTER", "SLOTS")) {
			List<?> range = (List<?>) entry;
			List<?> master = (List<?>) range.get(2);
			if (((Long) master.get(1)).intValue() == port) {
				ranges.add(new int[] { ((Long) range.get(0)).intValue(), ((Long) range.get(1)).intValue() });
			}
		}
		return ranges;
	}

	private static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not yet
			}
			RedisProcess.sleep(50);
		}
		throw new IllegalStateException("The proxied cluster did not come together: waited 30s for " + what);
	}

}
