package io.cachekit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The proxied topologies route what they promise through their {@link FaultProxy}: the cluster
 * master announces the proxy's port (CLUSTER NODES and CLUSTER SLOTS on every node say so), the
 * sentinels name the proxy as the master, and {@link ClusterSlots} agrees with Redis' CLUSTER
 * KEYSLOT.
 */
class ProxiedTopologiesTest {

	@Test
	void theProxiedClusterMasterIsAnnouncedAtTheProxyEverywhere() {
		try (ProxiedCluster proxied = ProxiedCluster.start()) {
			int proxyPort = proxied.proxy().port();
			RedisProcess master = proxied.proxiedMaster();
			for (RedisProcess node : proxied.cluster().nodes()) {
				String nodes = (String) Resp.call(node.host(), node.port(), "CLUSTER", "NODES");
				assertThat(nodes).as("CLUSTER NODES of %s", node).contains(":" + proxyPort + "@" + (master.port() + 10000));
				List<?> slots = (List<?>) Resp.call(node.host(), node.port(), "CLUSTER", "SLOTS");
				assertThat(slots.stream().map((range) -> (Object) ((List<?>) ((List<?>) range).get(2)).get(1)).toList())
					.as("CLUSTER SLOTS of %s", node)
					.contains((long) proxyPort)
					.doesNotContain((long) master.port());
			}
			for (int i = 0; i < 200; i++) {
				String key = "slot-check-" + i + ((i % 10 == 0) ? "{tag" + i + "}" : "");
				assertThat((long) ClusterSlots.slot(key)).as(key)
					.isEqualTo(Resp.call(master.host(), master.port(), "CLUSTER", "KEYSLOT", key));
				RedisProcess owner = proxied.masterOf(key);
				Object reply = Resp.call(owner.host(), owner.port(), "SET", key, "v"); // MOVED would throw
				assertThat(reply).isEqualTo("OK");
				assertThat(proxied.isOnProxiedMaster(key)).isEqualTo(owner == master);
			}
			String onProxied = "k0";
			for (int i = 0; !proxied.isOnProxiedMaster(onProxied); i++) {
				onProxied = "k" + i;
			}
			assertThat(Resp.call("127.0.0.1", proxyPort, "SET", onProxied, "through")).isEqualTo("OK");
			assertThat(proxied.proxy().connectionsAccepted()).isPositive();
			assertThat(proxied.url()).startsWith("redis://127.0.0.1:" + proxyPort + ",");
		}
	}

	@Test
	void theSentinelsNameTheProxyAsTheMaster() {
		try (RedisSentinel sentinel = RedisSentinel.startProxied()) {
			String url = sentinel.url();
			String first = url.substring("redis-sentinel://".length(), url.indexOf(','));
			String[] hostPort = first.split(":");
			List<?> address = (List<?>) Resp.call(hostPort[0], Integer.parseInt(hostPort[1]), "SENTINEL",
					"GET-MASTER-ADDR-BY-NAME", RedisSentinel.MASTER_NAME);
			assertThat(address.get(1)).isEqualTo(Integer.toString(sentinel.proxy().port()));
			assertThat(sentinel.currentMaster()).isSameAs(sentinel.dataNodes().get(0));
			assertThat(Resp.call("127.0.0.1", sentinel.proxy().port(), "PING")).isEqualTo("PONG");
		}
	}

}
