package io.cachekit.test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A local Redis Cluster of loopback {@code redis-server} processes (3 masters, each with one
 * replica), assembled from Java with CLUSTER ADDSLOTS / MEET / REPLICATE, so neither Docker nor
 * redis-cli is needed.
 */
public final class RedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private final List<RedisProcess> masters = new ArrayList<>();

	private final List<RedisProcess> replicas = new ArrayList<>();

	private RedisCluster() {
	}

	/** Starts and assembles a cluster of {@code masterCount} masters with one replica each. */
	public static RedisCluster start(int masterCount) {
		RedisCluster cluster = new RedisCluster();
		try {
			cluster.assemble(masterCount);
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private void assemble(int masterCount) {
		for (int i = 0; i < masterCount * 2; i++) {
			RedisProcess node = RedisProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "1500");
			(i < masterCount ? this.masters : this.replicas).add(node);
		}
		for (int m = 0; m < masterCount; m++) {
			int from = m * SLOTS / masterCount;
			int to = (m + 1) * SLOTS / masterCount;
			List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.range(from, to).forEach((slot) -> args.add(Integer.toString(slot)));
			call(this.masters.get(m), args.toArray(String[]::new));
		}
		RedisProcess first = this.masters.get(0);
		for (RedisProcess node : nodes()) {
			if (node != first) {
				call(first, "CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
			}
		}
		awaitAll("all nodes to know each other",
				(node) -> ((String) call(node, "CLUSTER", "NODES")).lines().count() == nodes().size());
		for (int m = 0; m < masterCount; m++) {
			String masterId = (String) call(this.masters.get(m), "CLUSTER", "MYID");
			RedisProcess replica = this.replicas.get(m);
			awaitAll("replica to learn its master", (node) -> node != replica
					|| ((String) call(replica, "CLUSTER", "NODES")).contains(masterId));
			call(replica, "CLUSTER", "REPLICATE", masterId);
		}
		awaitAll("cluster_state:ok", (node) -> ((String) call(node, "CLUSTER", "INFO")).contains("cluster_state:ok"));
		awaitAll("replicas to sync", (node) -> !this.replicas.contains(node)
				|| ((String) call(node, "INFO", "replication")).contains("master_link_status:up"));
	}

	/** Every node, masters first. */
	public List<RedisProcess> nodes() {
		List<RedisProcess> all = new ArrayList<>(this.masters);
		all.addAll(this.replicas);
		return all;
	}

	public List<RedisProcess> masters() {
		return List.copyOf(this.masters);
	}

	/** A seed URL for a cluster client: every master, comma separated, {@code redis://h:p,h:p,h:p}. */
	public String url() {
		return "redis://" + this.masters.stream().map((n) -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
	}

	@Override
	public void close() {
		nodes().forEach(RedisProcess::close);
	}

	private static Object call(RedisProcess node, String... args) {
		return Resp.call(node.host(), node.port(), args);
	}

	private void awaitAll(String what, java.util.function.Predicate<RedisProcess> condition) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (System.nanoTime() < deadline) {
			if (nodes().stream().allMatch(condition)) {
				return;
			}
			RedisProcess.sleep(50);
		}
		throw new IllegalStateException("Cluster did not come together: waited 30s for " + what);
	}

}
