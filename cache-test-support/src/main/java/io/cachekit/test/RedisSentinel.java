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

	/** In front of the master, and what the sentinels monitor; {@code null} unless {@link #startProxied()}. */
	private FaultProxy proxy;

	private RedisSentinel(String sentinelPassword) {
		this.sentinelPassword = sentinelPassword;
	}

	/**
	 * Starts the topology with a {@link FaultProxy} in front of the master: the sentinels monitor
	 * the proxy's address, so they name it to clients as the master's, and a client's every
	 * connection to the master passes the proxy (the sentinels' own connections to the master too;
	 * the proxy never drops from those). The sentinels' {@code down-after-milliseconds} is 30 s
	 * here, so a fault of a few seconds never makes them fail over. The replica replicates from the
	 * master directly.
	 */
	public static RedisSentinel startProxied() {
		RedisSentinel topology = new RedisSentinel(null);
		try {
			topology.assemble(true);
			return topology;
		}
		catch (RuntimeException ex) {
			topology.close();
			throw ex;
		}
	}

	/** The proxy in front of the master. Only for {@link #startProxied()}. */
	public FaultProxy proxy() {
		if (this.proxy == null) {
			throw new IllegalStateException("Only RedisSentinel.startProxied() has a proxy");
		}
		return this.proxy;
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
			topology.assemble(false);
			return topology;
		}
		catch (RuntimeException ex) {
			topology.close();
			throw ex;
		}
	}

	private void assemble(boolean proxied) {
		RedisProcess master = RedisProcess.start();
		this.dataNodes.add(master);
		RedisProcess replica = RedisProcess.start("--replicaof", master.host(), Integer.toString(master.port()));
		this.dataNodes.add(replica);
		await("replica to sync", () -> ((String) Resp.call(replica.host(), replica.port(), "INFO", "replication"))
			.contains("master_link_status:up"));
		int monitored = master.port();
		if (proxied) {
			this.proxy = FaultProxy.start(master.host(), master.port());
			monitored = this.proxy.port();
		}
		String config = "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + monitored + " 2\n"
				+ "sentinel down-after-milliseconds " + MASTER_NAME + " " + (proxied ? 30000 : 1000) + "\n"
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
		if (this.proxy != null && port == this.proxy.port()) {
			return this.dataNodes.get(0);
		}
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
		if (this.proxy != null) {
			this.proxy.close();
		}
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
