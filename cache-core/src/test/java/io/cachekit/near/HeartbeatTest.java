package io.cachekit.near;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.FaultProxy;
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

	/**
	 * The heartbeat's own invalidation lost on a connection whose replies stay in step: the next
	 * check finds it missing and drops what was read on that connection, which the reply proof
	 * alone could never see.
	 */
	@Test
	void aLostHeartbeatInvalidationFlushesWhatWasReadOnThatConnection() throws Exception {
		Duration every = Duration.ofMillis(200);
		NearCacheLayer layer = NearCache.defaults().withHeartbeat(every).layer();
		try (FaultProxy proxy = FaultProxy.start(redis.url());
				RedisCacheBackend<String> cache = backend(proxy.url(), "lost:", layer)) {
			cache.set("k", "v");
			assertThat(cache.get("k")).contains("v");
			assertThat(layer.stats().size()).isEqualTo(1);
			// beats run undisturbed: nothing is lost, nothing is flushed
			assertThat(await(Duration.ofSeconds(10), () -> calls("psetex") >= 3)).isNotNegative();
			assertThat(layer.stats().flushes(FlushCause.INVALIDATION_LOST)).isZero();
			proxy.dropNextPush("__cachekit:heartbeat:");
			assertThat(proxy.awaitPushDropped(Duration.ofSeconds(10))).as("a heartbeat's invalidation dropped").isTrue();
			// the next check after the lost push (at most one interval, plus a round trip) flushes
			assertThat(await(Duration.ofSeconds(10), () -> layer.stats().flushes(FlushCause.INVALIDATION_LOST) >= 1))
				.as("flushed for the lost invalidation").isNotNegative();
			assertThat(layer.stats().size()).as("what was read on that connection is gone").isZero();
			long misses = layer.stats().misses();
			assertThat(cache.get("k")).contains("v");
			assertThat(layer.stats().misses()).as("read from Redis again").isEqualTo(misses + 1);
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
