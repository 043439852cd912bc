package io.cachekit.near;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisCluster;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

import static io.cachekit.near.NearFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Helpers of the near cache tests on a Redis Cluster: writes by a plain socket, owners of keys. */
final class NearClusterFixtures {

	private NearClusterFixtures() {
	}

	/** Sets {@code key} on the master that owns it, over a plain socket (not CacheKit, not Lettuce). */
	static void setElsewhere(RedisCluster cluster, String key, String value) {
		RedisProcess owner = owner(cluster, key);
		Resp.call(owner.host(), owner.port(), "SET", key, value);
	}

	/** The node that serves {@code key} now: the one that does not answer MOVED. */
	static RedisProcess owner(RedisCluster cluster, String key) {
		for (RedisProcess node : cluster.nodes()) {
			if (!node.isRunning()) {
				continue;
			}
			try {
				Resp.call(node.host(), node.port(), "TYPE", key);
				if (isMaster(node)) {
					return node;
				}
			}
			catch (Resp.RespErrorException moved) {
				// served elsewhere
			}
		}
		throw new AssertionError("no master serves " + key);
	}

	static boolean isMaster(RedisProcess node) {
		return node.isRunning() && String.valueOf(Resp.call(node.host(), node.port(), "ROLE")).contains("master");
	}

	/** The masters now (a failover promotes a replica; its old master comes back as a replica). */
	static List<RedisProcess> masters(RedisCluster cluster) {
		return cluster.nodes().stream().filter(NearClusterFixtures::isMaster).toList();
	}

	/** Waits until every node is up and reports {@code cluster_state:ok}, with 3 masters. */
	static void awaitHealthy(RedisCluster cluster) throws InterruptedException {
		long waited = await(Duration.ofSeconds(45), () -> {
			try {
				return masters(cluster).size() == cluster.masters().size() && cluster.nodes().stream()
					.allMatch((node) -> String.valueOf(Resp.call(node.host(), node.port(), "CLUSTER", "INFO"))
						.contains("cluster_state:ok"));
			}
			catch (RuntimeException notYet) {
				return false;
			}
		});
		assertThat(waited).as("the cluster healthy again").isNotNegative();
	}

	/** Keys with at least {@code perMaster} of them on every master. */
	static List<String> keysOnEveryMaster(RedisCluster cluster, String prefix, int perMaster) {
		List<String> keys = new ArrayList<>();
		for (RedisProcess master : masters(cluster)) {
			int found = 0;
			for (int i = 0; found < perMaster; i++) {
				if (i > 100_000) {
					throw new AssertionError("no key found on " + master);
				}
				String key = "k" + i;
				if (!keys.contains(key) && owner(cluster, prefix + key) == master) {
					keys.add(key);
					found++;
				}
			}
		}
		return keys;
	}

	/**
	 * Sets {@code key} through the backend and reads it until the near cache answers it: the first
	 * read of a node opens its tracked connection, whose reads are kept once tracking is on.
	 */
	static void warm(RedisCacheBackend<String> cache, NearCacheLayer layer, String key, String value)
			throws InterruptedException {
		assertThat(cache.set(key, value)).isTrue();
		assertThat(await(Duration.ofSeconds(5), () -> {
			long hits = layer.stats().hits();
			return cache.get(key).equals(Optional.of(value)) && layer.stats().hits() > hits;
		})).as("%s kept by the near cache", key).isNotNegative();
	}

}
