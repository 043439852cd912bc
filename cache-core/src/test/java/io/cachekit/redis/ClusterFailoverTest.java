package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * A cluster master is killed: its replica takes over, the backend follows the new topology, and
 * the entries that had reached the replica are still readable.
 */
class ClusterFailoverTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Test
	void backendFollowsAMasterFailover() throws Exception {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.prefix("fo:")
			.commandTimeout(Duration.ofMillis(500))
			.build()) {
			cache.initialize();
			Map<String, Object> entries = new LinkedHashMap<>();
			for (int i = 0; i < 300; i++) {
				entries.put("k" + i, i);
			}
			assertThat(cache.setMany(entries, Duration.ZERO)).isTrue();
			RedisProcess victim = redis.redisCluster().masters().get(0);
			RedisProcess replica = redis.redisCluster().nodes().get(3);
			awaitSameSize(victim, replica);

			victim.stop();
			long start = System.nanoTime();
			long deadline = start + Duration.ofSeconds(45).toNanos();
			boolean allServed = false;
			while (!allServed && System.nanoTime() < deadline) {
				allServed = cache.getMany(entries.keySet()).size() == entries.size() && cache.set("after", "failover");
				if (!allServed) {
					Thread.sleep(200);
				}
			}
			assertThat(allServed).as("every slot served again after the failover").isTrue();
			assertThat(cache.getMany(entries.keySet())).isEqualTo(entries);
			System.out.println("[cluster failover] served again after "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
	}

	private static void awaitSameSize(RedisProcess master, RedisProcess replica) throws InterruptedException {
		for (int i = 0; i < 200; i++) {
			Object masterSize = Resp.call(master.host(), master.port(), "DBSIZE");
			Object replicaSize = Resp.call(replica.host(), replica.port(), "DBSIZE");
			if (masterSize.equals(replicaSize) && !Long.valueOf(0).equals(masterSize)) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("replica of the first master never caught up");
	}

}
