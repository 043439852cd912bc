package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;

/**
 * A Redis killed mid-load and restarted (with an fsync-always AOF, so what Redis acknowledged
 * survives the crash): every write the backend acknowledged with {@code true} is there
 * afterwards, and writes during the outage answer {@code false}, never a false {@code true}.
 */
class AcknowledgedWritesTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--appendonly", "yes", "--appendfsync", "always");

	@Test
	void killedMidLoadAndRestartedLosesNoAcknowledgedWrite() throws Exception {
		RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.prefix("ack:")
			.commandTimeout(Duration.ofMillis(300))
			.build();
		cache.initialize();
		try {
			Map<String, Boolean> acknowledged = new LinkedHashMap<>();
			for (int i = 0; i < 300; i++) {
				if (i == 100) {
					redis.process().stop();
				}
				if (i == 150) {
					redis.process().restart();
					FailurePolicyTest.awaitServing(cache);
				}
				acknowledged.put("w" + i, cache.set("w" + i, i, Duration.ZERO));
			}
			acknowledged.forEach((key, ok) -> {
				if (ok) {
					assertThat(cache.exists(key)).as(key + " was acknowledged").isTrue();
				}
			});
			assertThat(acknowledged.values().stream().filter((ok) -> ok).count()).isGreaterThanOrEqualTo(250);
			assertThat(acknowledged.values()).contains(false);
		}
		finally {
			cache.shutdown();
		}
	}

}
