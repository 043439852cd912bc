package io.cachekit.near;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.ProxiedCluster;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * {@link NearSilentFaultScenarios} on the local 3+3 cluster, a {@link FaultProxy} in front of one
 * master that announces the proxy's port ({@link ProxiedCluster}); the near cache's keys live on
 * that master, and the other client's FLUSHALL runs there.
 */
class NearCacheClusterSilentFaultTest extends NearSilentFaultScenarios {

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
	protected String url() {
		return cluster.url();
	}

	@Override
	protected Object direct(String fullKey, String... command) {
		RedisProcess node = (fullKey != null) ? cluster.masterOf(fullKey) : cluster.proxiedMaster();
		return Resp.call(node.host(), node.port(), command);
	}

	@Override
	protected boolean onFaultyNode(String fullKey) {
		return cluster.isOnProxiedMaster(fullKey);
	}

}
