package io.cachekit.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.ProxiedCluster;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * {@link SilentFaultRounds} on the local 3+3 cluster, a {@link FaultProxy} in front of one master
 * which announces the proxy's port ({@link ProxiedCluster}): that master's keys are the faulty
 * node's, the other masters' keys must keep hitting through every fault.
 */
class ClusterSilentFaultTest extends SilentFaultRounds {

	private static ProxiedCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = ProxiedCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected FaultProxy proxy() {
		return cluster.proxy();
	}

	@Override
	protected RedisCacheBackendBuilder<?> builderForTopology() {
		return RedisCacheBackend.builder(cluster.url());
	}

	@Override
	protected String direct(String fullKey) {
		RedisProcess master = cluster.masterOf(fullKey);
		return (String) Resp.call(master.host(), master.port(), "GET", fullKey);
	}

	@Override
	protected void plant(String fullKey, String value) {
		RedisProcess master = cluster.masterOf(fullKey);
		Resp.call(master.host(), master.port(), "SET", fullKey, value);
	}

	@Override
	protected boolean onFaultyNode(String fullKey) {
		return cluster.isOnProxiedMaster(fullKey);
	}

}
