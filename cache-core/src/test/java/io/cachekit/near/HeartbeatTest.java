package io.cachekit.near;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

import static io.cachekit.near.NearFixtures.await;
import static io.cachekit.near.NearFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache's heartbeat: what it costs an idle backend (three commands per interval per
 * connection while a near cache is registered, none otherwise), counted in Redis' own command
 * statistics on a server of its own.
 */
class HeartbeatTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private static NearFixtures.Raw raw;

	@BeforeAll
	static void openRaw() {
		raw = new NearFixtures.Raw(redis.url());
	}

	@AfterAll
	static void closeRaw() {
		raw.close();
	}

	@Test
	void anIdleBackendWithANearCacheBeatsThreeCommandsPerInterval() throws Exception {
		Duration every = Duration.ofMillis(200);
		try (RedisCacheBackend<String> cache = backend(redis.url(), "beat:",
				NearCache.defaults().withHeartbeat(every).layer())) {
			cache.set("k", "v");
			assertThat(cache.get("k")).contains("v");
			raw.commands.configResetstat();
			long start = System.nanoTime();
			assertThat(await(Duration.ofSeconds(20), () -> calls("psetex") >= 5)).as("five beats").isNotNegative();
			long beats = calls("psetex");
			long elapsed = System.nanoTime() - start;
			// a fixed-rate task never runs more often than its period (late runs catch up, no more)
			assertThat(beats).as("beats in %d ms", elapsed / 1_000_000).isLessThanOrEqualTo(elapsed / every.toNanos() + 2);
			// each beat is PSETEX, STRLEN and ECHO (the check), and nothing else of the heartbeat's
			assertThat(await(Duration.ofSeconds(5), () -> calls("strlen") >= beats && calls("echo") >= beats))
				.as("STRLEN and ECHO with every beat").isNotNegative();
			assertThat(calls("get") + calls("evalsha") + calls("eval")).as("no reads of the cache's keys: every read was local")
				.isZero();
		}
	}

	@Test
	void withoutANearCacheNothingBeats() throws Exception {
		try (RedisCacheBackend<String> cache = RedisCacheBackend.builder(redis.url())
			.serializer(io.cachekit.core.serialization.CacheSerializers.string())
			.prefix("still:")
			.build()) {
			cache.initialize();
			cache.set("k", "v");
			raw.commands.configResetstat();
			// as long as two default heartbeats would take: none of them may come
			Thread.sleep(NearCache.DEFAULT_HEARTBEAT.toMillis() * 2 + 100);
			assertThat(calls("psetex") + calls("strlen") + calls("echo")).isZero();
		}
	}

	private static long calls(String command) {
		Matcher found = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(raw.commands.info("commandstats"));
		return found.find() ? Long.parseLong(found.group(1)) : 0;
	}

}
