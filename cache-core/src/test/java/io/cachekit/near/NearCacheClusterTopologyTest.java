package io.cachekit.near;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisCluster;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

import static io.cachekit.near.NearClusterFixtures.keysOnEveryMaster;
import static io.cachekit.near.NearClusterFixtures.owner;
import static io.cachekit.near.NearClusterFixtures.setElsewhere;
import static io.cachekit.near.NearClusterFixtures.warm;
import static io.cachekit.near.NearFixtures.await;
import static io.cachekit.near.NearFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache while a Redis Cluster changes shape: a killed master (its replica promoted) and
 * a slot moved to another master. Each test changes its own part of the cluster.
 */
class NearCacheClusterTopologyTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Test
	void aKilledMastersEntriesAreFlushedAndReReadFromThePromotedReplica() throws Exception {
		failover(0, OutageMode.FLUSH, "kf:");
	}

	/**
	 * Entries kept through the outage: once the topology shows the dead master's slots on its
	 * replica, what was read on it goes, and a write on the new master is seen.
	 */
	@Test
	void entriesKeptThroughTheOutageGoWhenTheTopologyMovesTheirSlots() throws Exception {
		failover(1, OutageMode.SERVE_WITHIN_LOCAL_TTL, "ks:");
	}

	private void failover(int master, OutageMode outageMode, String prefix) throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().withOutageMode(outageMode).layer();
		RedisProcess victim = NearClusterFixtures.masters(cluster).get(master);
		try (RedisCacheBackend<String> cache = backend(redis.url(), prefix, layer)) {
			List<String> keys = keysOnEveryMaster(cluster, prefix, 3);
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			List<String> victims = keys.stream().filter((key) -> owner(cluster, prefix + key) == victim).toList();
			List<String> others = keys.stream().filter((key) -> !victims.contains(key)).toList();
			// every write reached the replica before its master goes
			assertThat(Resp.call(victim.host(), victim.port(), "WAIT", "1", "5000")).isEqualTo(1L);

			victim.stop();
			if (outageMode == OutageMode.FLUSH) {
				assertThat(await(Duration.ofSeconds(5), () -> layer.stats().flushes(FlushCause.DISCONNECTED) > 0))
					.as("the lost master's entries flushed").isNotNegative();
			}
			for (String key : others) {
				long hits = layer.stats().hits();
				assertThat(cache.get(key)).contains("v1");
				assertThat(layer.stats().hits()).as("%s of a live master still a near hit", key).isEqualTo(hits + 1);
			}
			if (outageMode == OutageMode.SERVE_WITHIN_LOCAL_TTL) {
				for (String key : victims) {
					long hits = layer.stats().hits();
					assertThat(cache.get(key)).contains("v1");
					assertThat(layer.stats().hits()).as("%s served from the near cache during the outage", key)
						.isEqualTo(hits + 1);
				}
				assertThat(await(Duration.ofSeconds(45), () -> NearClusterFixtures.masters(cluster).size() == 3))
					.as("a replica promoted").isNotNegative();
				assertThat(await(Duration.ofSeconds(45),
						() -> layer.stats().flushes(FlushCause.TOPOLOGY) + layer.stats().flushes(FlushCause.RECONNECTED) > 0))
					.as("the dead master's entries dropped when the topology moved its slots").isNotNegative();
			}
			for (String key : victims) {
				assertThat(await(Duration.ofSeconds(45), () -> {
					long hits = layer.stats().hits();
					return cache.get(key).equals(Optional.of("v1")) && layer.stats().hits() > hits;
				})).as("%s read again from the promoted replica and kept", key).isNotNegative();
			}
			for (String key : victims) {
				setElsewhere(cluster, prefix + key, "v2");
				assertThat(await(Duration.ofMillis(100), () -> cache.get(key).equals(Optional.of("v2"))))
					.as("%s written on the new master, served fresh within 100 ms", key).isNotNegative();
			}
		}
		finally {
			victim.restart();
			NearClusterFixtures.awaitHealthy(cluster);
		}
	}

	/**
	 * A slot moved to another master (resharding): the old owner invalidates the keys it gives
	 * away, a read answered {@code ASK} or {@code MOVED} is not kept, and once the key is read on
	 * its new master that master's invalidations keep it fresh.
	 */
	@Test
	void aSlotMovedToAnotherMasterLeavesNothingStale() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().layer();
		String prefix = "mv:";
		RedisProcess source = NearClusterFixtures.masters(cluster).get(2);
		try (RedisCacheBackend<String> cache = backend(redis.url(), prefix, layer)) {
			String key = keysOnEveryMaster(cluster, prefix, 1).stream()
				.filter((k) -> owner(cluster, prefix + k) == source)
				.findFirst()
				.orElseThrow();
			warm(cache, layer, key, "v1");
			RedisProcess target = NearClusterFixtures.masters(cluster).stream().filter((m) -> m != source).findFirst().orElseThrow();
			String slot = String.valueOf(Resp.call(source.host(), source.port(), "CLUSTER", "KEYSLOT", prefix + key));
			String sourceId = (String) Resp.call(source.host(), source.port(), "CLUSTER", "MYID");
			String targetId = (String) Resp.call(target.host(), target.port(), "CLUSTER", "MYID");
			Resp.call(target.host(), target.port(), "CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
			Resp.call(source.host(), source.port(), "CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
			Resp.call(source.host(), source.port(), "MIGRATE", target.host(), String.valueOf(target.port()), prefix + key,
					"0", "5000");
			// the old owner deleted the key as it gave it away: that invalidated it
			assertThat(await(Duration.ofMillis(100), () -> layer.stats().size() == 0 || !heldNear(cache, layer, key)))
				.as("invalidated by the migration").isNotNegative();
			// while the slot migrates, the old owner answers ASK: answered, not kept
			assertThat(cache.get(key)).contains("v1");
			assertThat(heldNear(cache, layer, key)).as("a read answered ASK is not kept").isFalse();
			for (RedisProcess node : List.of(target, source)) {
				Resp.call(node.host(), node.port(), "CLUSTER", "SETSLOT", slot, "NODE", targetId);
			}
			for (RedisProcess node : NearClusterFixtures.masters(cluster)) {
				if (node != target && node != source) {
					Resp.call(node.host(), node.port(), "CLUSTER", "SETSLOT", slot, "NODE", targetId);
				}
			}
			assertThat(owner(cluster, prefix + key)).isSameAs(target);
			// kept again once read on the new owner (after MOVED made the client refresh its topology)
			assertThat(await(Duration.ofSeconds(10), () -> cache.get(key).equals(Optional.of("v1")) && heldNear(cache, layer, key)))
				.as("kept again from the new owner").isNotNegative();
			setElsewhere(cluster, prefix + key, "v2");
			assertThat(await(Duration.ofMillis(100), () -> cache.get(key).equals(Optional.of("v2"))))
				.as("a write on the new owner served fresh within 100 ms").isNotNegative();
		}
	}

	/** Whether the next read of {@code key} is a near hit. */
	private static boolean heldNear(RedisCacheBackend<String> cache, NearCacheLayer layer, String key) {
		long hits = layer.stats().hits();
		cache.get(key);
		return layer.stats().hits() > hits;
	}

}
