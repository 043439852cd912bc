package io.cachekit.near;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

import static io.cachekit.near.NearFixtures.await;
import static io.cachekit.near.NearFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

/** The near cache through Sentinel: invalidations from the master, and a failover to the replica. */
class NearCacheSentinelTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel();

	@Test
	void invalidatedThroughSentinelAndNothingOldServedAfterAFailover() throws Exception {
		// the mode that keeps entries through an outage: only the flush on the new connection can pass this
		NearCacheLayer layer = NearCache.defaults().withOutageMode(OutageMode.SERVE_WITHIN_LOCAL_TTL).layer();
		try (RedisCacheBackend<String> cache = backend(redis.url(), "sentinel-near:", layer)) {
			RedisProcess master = redis.redisSentinel().currentMaster();
			cache.set("k", "v1");
			assertThat(cache.get("k")).contains("v1");
			Resp.call(master.host(), master.port(), "SET", "sentinel-near:k", "v2");
			assertThat(await(Duration.ofMillis(100), () -> cache.get("k").equals(Optional.of("v2")))).isNotNegative();
			assertThat(cache.get("k")).contains("v2");
			RedisProcess replica = redis.redisSentinel().dataNodes().stream().filter((node) -> node != master).findFirst().orElseThrow();
			assertThat(await(Duration.ofSeconds(5),
					() -> "v2".equals(Resp.call(replica.host(), replica.port(), "GET", "sentinel-near:k")))).isNotNegative();

			master.stop();
			assertThat(await(Duration.ofSeconds(30), () -> redis.redisSentinel().currentMaster() != master)).isNotNegative();
			RedisProcess promoted = redis.redisSentinel().currentMaster();
			assertThat(await(Duration.ofSeconds(30), () -> cache.set("probe", "x"))).isNotNegative();
			// changed on the promoted replica once the backend is on it: its new connection never read k
			Resp.call(promoted.host(), promoted.port(), "SET", "sentinel-near:k", "v3");
			assertThat(cache.get("k")).contains("v3");
			assertThat(layer.stats().flushes(FlushCause.RECONNECTED)).isPositive();
			Resp.call(promoted.host(), promoted.port(), "SET", "sentinel-near:k", "v4");
			assertThat(await(Duration.ofMillis(100), () -> cache.get("k").equals(Optional.of("v4")))).isNotNegative();
		}
	}

}
