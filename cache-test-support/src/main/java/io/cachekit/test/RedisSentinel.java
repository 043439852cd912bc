package io.cachekit.test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A local Sentinel topology: one master, one replica and three sentinels (quorum 2) watching
 * {@value #MASTER_NAME}, all loopback {@code redis-server} processes.
 */
public final class RedisSentinel implements AutoCloseable {

	/** The monitored master's name. */
	public static final String MASTER_NAME = "mymaster";

	private final List<RedisProcess> dataNodes = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private final String sentinelPassword;

	private RedisSentinel(String sentinelPassword) {
		this.sentinelPassword = sentinelPassword;
	}

	/** Starts the topology and waits until every sentinel knows the master and its replica. */
	public static RedisSentinel start() {
		return start(null);
	}

	/**
	 * Starts the topology with sentinels that require {@code AUTH sentinelPassword} (their
	 * {@code requirepass}; they authenticate to each other with it too). The data nodes need no
	 * password.
	 */
	public static RedisSentinel start(String sentinelPassword) {
		RedisSentinel topology = new RedisSentinel(sentinelPassword);
		try {
			topology.assemble();
			return topology;
		}
		catch (RuntimeException ex) {
			topology.close();
			throw ex;
		}
	}

	private void assemble() {
		RedisProcess master = RedisProcess.start();
		this.dataNodes.add(master);
		RedisProcess replica = RedisProcess.start("--replicaof", master.host(), Integer.toString(master.port()));
		this.dataNodes.add(replica);
		await("replica to sync", () -> ((String) Resp.call(replica.host(), replica.port(), "INFO", "replication"))
			.contains("master_link_status:up"));
		String config = "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 2\n"
				+ "sentinel down-after-milliseconds " + MASTER_NAME + " 1000\n"
				+ "sentinel failover-timeout " + MASTER_NAME + " 5000\n"
				+ "sentinel parallel-syncs " + MASTER_NAME + " 1\n"
				+ ((this.sentinelPassword != null)
						? "requirepass " + this.sentinelPassword + "\nsentinel sentinel-pass " + this.sentinelPassword + "\n" : "");
		for (int i = 0; i < 3; i++) {
			this.sentinels.add(RedisProcess.startWithConfig(config, "--sentinel"));
		}
		await("sentinels to see the replica and each other", () -> this.sentinels.stream().allMatch((s) -> {
			List<?> replicas = (List<?>) sentinelCall(s, "SENTINEL", "REPLICAS", MASTER_NAME);
			List<?> peers = (List<?>) sentinelCall(s, "SENTINEL", "SENTINELS", MASTER_NAME);
			return replicas.size() == 1 && peers.size() == 2;
		}));
	}

	/** {@code redis-sentinel://h:p,h:p,h:p/0#mymaster}. */
	public String url() {
		return "redis-sentinel://" + this.sentinels.stream().map((s) -> s.host() + ":" + s.port()).collect(Collectors.joining(","))
				+ "/0#" + MASTER_NAME;
	}

	/** The data node the sentinels currently name as master. */
	public RedisProcess currentMaster() {
		RedisProcess sentinel = this.sentinels.get(0);
		List<?> address = (List<?>) sentinelCall(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
		int port = Integer.parseInt((String) address.get(1));
		return this.dataNodes.stream().filter((n) -> n.port() == port).findFirst().orElseThrow();
	}

	private Object sentinelCall(RedisProcess sentinel, String... args) {
		return Resp.callWithAuth(sentinel.host(), sentinel.port(), this.sentinelPassword, args);
	}

	public List<RedisProcess> dataNodes() {
		return List.copyOf(this.dataNodes);
	}

	@Override
	public void close() {
		this.sentinels.forEach(RedisProcess::close);
		this.dataNodes.forEach(RedisProcess::close);
	}

	private static void await(String what, java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not ready yet
			}
			RedisProcess.sleep(50);
		}
		throw new IllegalStateException("Sentinel topology did not come together: waited 30s for " + what);
	}

}
