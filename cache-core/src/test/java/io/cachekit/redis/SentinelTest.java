package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;

/** A backend addressed through Sentinel, including a failover to the replica. */
class SentinelTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel();

	@Test
	void servesThroughSentinelAndFollowsAFailover() throws Exception {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.prefix("sentinel:")
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(Duration.ofMillis(500))
			.build()) {
			cache.initialize();
			assertThat(cache.getTarget()).startsWith("redis-sentinel://");
			assertThat(cache.set("k", "v", Duration.ZERO)).isTrue();
			assertThat(cache.setMany(Map.of("a", 1, "b", 2))).isTrue();
			assertThat(cache.incr("n", 1, 10, null)).isEqualTo(11);
			assertThat(cache.getMany(List.of("a", "b"))).containsOnlyKeys("a", "b");
			awaitReplicated(cache);

			RedisProcess oldMaster = redis.redisSentinel().currentMaster();
			oldMaster.stop();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			boolean served = false;
			while (!served && System.nanoTime() < deadline) {
				served = cache.set("after", "failover");
				if (!served) {
					Thread.sleep(200);
				}
			}
			assertThat(served).as("writes resume on the promoted replica").isTrue();
			assertThat(redis.redisSentinel().currentMaster()).isNotSameAs(oldMaster);
			assertThat(cache.get("after")).contains("failover");
			assertThat(cache.get("k")).as("replicated before the failover").contains("v");
			assertThat(cache.clear()).isTrue();
		}
	}

	private static void awaitReplicated(RedisCacheBackend<Object> cache) throws InterruptedException {
		RedisProcess replica = redis.redisSentinel().dataNodes().get(1);
		for (int i = 0; i < 100; i++) {
			if (Long.valueOf(1).equals(io.cachekit.test.Resp.call(replica.host(), replica.port(), "EXISTS", "sentinel:k"))) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("replica never received sentinel:k");
	}

}
