package io.cachekit.near;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisExtension;

import static io.cachekit.near.NearFixtures.await;
import static io.cachekit.near.NearFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache while its connection is lost silently (a fault proxy drops every byte, so
 * invalidations are lost too) and after it comes back: what each outage mode serves, and that
 * nothing from before the outage is served once a new connection is up.
 */
class NearCacheOutageTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private FaultProxy proxy;

	private NearFixtures.Raw raw;

	@BeforeEach
	void start() {
		this.proxy = FaultProxy.start(redis.url());
		this.raw = new NearFixtures.Raw(redis.url());
	}

	@AfterEach
	void stop() {
		this.raw.close();
		this.proxy.close();
	}

	@Test
	void serveModeServesWithinTheLocalTtlAndNothingOldAfterReconnect() throws Exception {
		NearCacheLayer layer = NearCache.defaults().withOutageMode(OutageMode.SERVE_WITHIN_LOCAL_TTL).layer();
		try (RedisCacheBackend<String> cache = backend(this.proxy.url(), "serve:", layer)) {
			warm(cache, "k", "v1");
			loseSilently(cache, "serve:k", "v2");
			assertThat(cache.get("k")).as("served during the outage, within its local TTL").contains("v1");
			this.proxy.pass();
			assertThat(await(Duration.ofSeconds(10), () -> cache.diagnostics().isConnected())).isNotNegative();
			assertNeverOldThenNew(cache);
			assertThat(layer.stats().flushes(FlushCause.RECONNECTED)).isEqualTo(1);
		}
	}

	@Test
	void serveModeStopsServingAtTheLocalTtl() throws Exception {
		NearCacheLayer layer = NearCache.defaults()
			.withOutageMode(OutageMode.SERVE_WITHIN_LOCAL_TTL)
			.withMaxLocalTtl(Duration.ofMillis(4000))
			.layer();
		try (RedisCacheBackend<String> cache = backend(this.proxy.url(), "servettl:", layer)) {
			long warmedAt = System.nanoTime();
			warm(cache, "k", "v1");
			loseSilently(cache, "servettl:k", "v2");
			long left = Duration.ofMillis(4000).toNanos() - (System.nanoTime() - warmedAt);
			assertThat(left).as("the test still has time within the local TTL").isPositive();
			assertThat(cache.get("k")).contains("v1");
			Thread.sleep(Duration.ofNanos(left).toMillis() + 50);
			assertThat(cache.get("k")).as("fail-open miss past the local TTL").isEmpty();
		}
	}

	@Test
	void flushModeServesNothingOnceTheLossIsKnown() throws Exception {
		NearCacheLayer layer = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend(this.proxy.url(), "flushmode:", layer)) {
			warm(cache, "k", "v1");
			loseSilently(cache, "flushmode:k", "v2");
			assertThat(await(Duration.ofSeconds(3), () -> layer.stats().flushes(FlushCause.DISCONNECTED) == 1))
				.isNotNegative();
			assertThat(cache.get("k")).as("fail-open miss, not the old value").isEmpty();
			this.proxy.pass();
			assertThat(await(Duration.ofSeconds(10), () -> cache.diagnostics().isConnected())).isNotNegative();
			assertNeverOldThenNew(cache);
		}
	}

	/**
	 * Drops every byte between the backend and Redis, changes {@code rawKey} behind its back (the
	 * invalidation is lost), and waits until the backend knows the connection is gone.
	 */
	private void loseSilently(RedisCacheBackend<String> cache, String rawKey, String value) throws Exception {
		this.proxy.blackhole();
		this.raw.commands.set(rawKey, value);
		// a read that misses sends a command, whose missing reply condemns the connection
		assertThat(await(Duration.ofSeconds(5), () -> {
			cache.get("probe");
			return !cache.diagnostics().isConnected();
		})).isNotNegative();
	}

	/**
	 * Once connected again, no read answers the old value; the first reads may still be misses
	 * (fail-open) while the circuit opened during the outage closes.
	 */
	private static void assertNeverOldThenNew(RedisCacheBackend<String> cache) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		Optional<String> read = cache.get("k");
		while (read.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(5);
			read = cache.get("k");
		}
		assertThat(read).as("after the reconnect").contains("v2");
	}

	private static void warm(RedisCacheBackend<String> cache, String key, String value) {
		cache.set(key, value);
		assertThat(cache.get(key)).isEqualTo(Optional.of(value));
		assertThat(cache.get(key)).isEqualTo(Optional.of(value));
	}

}
