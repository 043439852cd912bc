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

	/**
	 * Losing one master cuts off its own slots only: once calls for its keys have opened that
	 * master's breaker, calls for keys of the other masters are still served at once.
	 */
	@Test
	void losingAMasterFailsItsSlotsOnly() throws Exception {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.prefix("lm:")
			.commandTimeout(Duration.ofMillis(300))
			.build()) {
			cache.initialize();
			RedisProcess victim = redis.redisCluster().masters().get(1);
			String dead = null;
			String alive = null;
			for (int i = 0; (dead == null || alive == null) && i < 1000; i++) {
				String key = "k" + i;
				assertThat(cache.set(key, i, Duration.ofMinutes(5))).isTrue();
				if (ownedBy(victim, "lm:" + key)) {
					dead = (dead != null) ? dead : key;
				}
				else {
					alive = (alive != null) ? alive : key;
				}
			}
			assertThat(dead).isNotNull();
			assertThat(alive).isNotNull();
			victim.stop();
			try {
				// the dead master's keys: timeouts (or refused connections), enough to open a breaker
				for (int i = 0; i < 3; i++) {
					assertThat(cache.get(dead)).isEmpty();
				}
				// ...yet another master's key is a hit at the same moment (one shared breaker would
				// answer CIRCUIT_OPEN, a miss, here)
				assertThat(cache.get(alive)).as("a key of a live master").contains(Integer.parseInt(alive.substring(1)));
				long start = System.nanoTime();
				cache.get(dead);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the dead master's slots cut off at once")
					.isLessThan(Duration.ofMillis(150));
			}
			finally {
				victim.restart();
			}
		}
	}

	private static boolean ownedBy(RedisProcess node, String key) {
		try {
			return Long.valueOf(1).equals(Resp.call(node.host(), node.port(), "EXISTS", key));
		}
		catch (Resp.RespErrorException movedElsewhere) {
			return false;
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
