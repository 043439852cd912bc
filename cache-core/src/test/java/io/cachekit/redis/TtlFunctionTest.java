package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.TtlFunction;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.test.RedisExtension;

/**
 * A TTL function on a Redis backend (issue 23, item 2): every write given no TTL gets the
 * function's answer on both faces (set, add, setMany, a loaded value of getOrLoad), through the
 * loading layer too; a write given a TTL keeps it; {@code null} means the default TTL, {@code ZERO}
 * no expiry, a negative answer an {@link IllegalArgumentException} with nothing stored. Run on a
 * standalone server here and on the local cluster by {@link ClusterTtlFunctionTest}.
 */
class TtlFunctionTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	/** The default TTL: far from every TTL the function answers, so the two cannot be confused. */
	static final Duration DEFAULT_TTL = Duration.ofHours(1);

	/** "ttl=<seconds>" answers that many seconds, "forever" no expiry, "negative" -1 s, anything else null (the default). */
	static final TtlFunction FROM_VALUE = (key, value) -> {
		String text = value.toString();
		if (text.startsWith("ttl=")) {
			return Duration.ofSeconds(Long.parseLong(text.substring(4)));
		}
		if (text.equals("forever")) {
			return Duration.ZERO;
		}
		return text.equals("negative") ? Duration.ofSeconds(-1) : null;
	};

	private RedisCacheBackend<String> backend;

	private RawRedis raw;

	String url() {
		return redis.url();
	}

	private RedisCacheBackend<String> backend(CacheLayer... layers) {
		var builder = RedisCacheBackend.builder(url()).serializer(CacheSerializers.string()).prefix("ttlfn:")
			.defaultTtl(DEFAULT_TTL).ttlFunction(FROM_VALUE)
			// not what these tests are about: generous, so a busy machine drops no write (fail-open)
			.commandTimeout(java.time.Duration.ofSeconds(5));
		for (CacheLayer layer : layers) {
			builder.layer(layer);
		}
		this.backend = builder.build();
		this.backend.initialize();
		this.backend.clear();
		this.raw = RawRedis.open(url());
		return this.backend;
	}

	@AfterEach
	void close() {
		if (this.backend != null) {
			this.backend.clear();
			this.backend.shutdown();
		}
		if (this.raw != null) {
			this.raw.close();
		}
	}

	/** The remaining TTL of a stored key in milliseconds (-1: no expiry, -2: absent). */
	private long pttl(String key) {
		return this.raw.commands.pttl("ttlfn:" + key);
	}

	private static void assertSeconds(long pttlMillis, long seconds) {
		// the TTL the function answered, less the time since the write (a generous bound, for a busy machine)
		assertThat(pttlMillis).isBetween(seconds * 1000 - 30_000, seconds * 1000);
	}

	@Test
	void blockingWritesWithoutTtlTakeTheFunctionsAnswer() {
		RedisCacheBackend<String> cache = backend();
		assertThat(cache.set("a", "ttl=120")).isTrue();
		assertThat(cache.add("b", "ttl=300")).isTrue();
		assertThat(cache.set("c", "plain")).isTrue();
		assertThat(cache.set("d", "forever")).isTrue();
		assertSeconds(pttl("a"), 120);
		assertSeconds(pttl("b"), 300);
		assertSeconds(pttl("c"), DEFAULT_TTL.toSeconds());
		assertThat(pttl("d")).isEqualTo(-1);
		assertThat(cache.get("a")).contains("ttl=120");
	}

	@Test
	void aWriteGivenATtlKeepsIt() {
		RedisCacheBackend<String> cache = backend();
		cache.set("a", "ttl=120", Duration.ofSeconds(600));
		cache.setMany(Map.of("b", "ttl=120"), Duration.ofSeconds(900));
		assertSeconds(pttl("a"), 600);
		assertSeconds(pttl("b"), 900);
	}

	@Test
	void aNegativeAnswerIsAnArgumentErrorAndStoresNothing() {
		RedisCacheBackend<String> cache = backend();
		assertThatThrownBy(() -> cache.set("a", "negative")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("negative TTL");
		assertThatThrownBy(() -> cache.async().set("a", "negative").join()).isInstanceOf(CompletionException.class)
			.hasCauseInstanceOf(IllegalArgumentException.class);
		Map<String, String> batch = new LinkedHashMap<>();
		batch.put("b", "ttl=60");
		batch.put("c", "negative");
		assertThatThrownBy(() -> cache.setMany(batch)).isInstanceOf(IllegalArgumentException.class);
		assertThat(pttl("a")).isEqualTo(-2);
		assertThat(pttl("b")).isEqualTo(-2);
	}

	@Test
	void asyncWritesWithoutTtlTakeTheFunctionsAnswer() {
		RedisCacheBackend<String> cache = backend();
		assertThat(cache.async().set("a", "ttl=120").join()).isTrue();
		assertThat(cache.async().add("b", "ttl=300").join()).isTrue();
		Map<String, String> batch = new LinkedHashMap<>();
		batch.put("c", "ttl=200");
		batch.put("d", "plain");
		batch.put("e", "forever");
		batch.put("f", "ttl=200");
		assertThat(cache.async().setMany(batch).join()).isTrue();
		assertSeconds(pttl("a"), 120);
		assertSeconds(pttl("b"), 300);
		assertSeconds(pttl("c"), 200);
		assertSeconds(pttl("d"), DEFAULT_TTL.toSeconds());
		assertThat(pttl("e")).isEqualTo(-1);
		assertSeconds(pttl("f"), 200);
		assertThat(cache.getMany(batch.keySet())).isEqualTo(batch);
	}

	@Test
	void aLoadedValueTakesTheFunctionsAnswerOnBothFaces() {
		RedisCacheBackend<String> cache = backend();
		assertThat(cache.getOrLoad("a", () -> "ttl=120")).isEqualTo("ttl=120");
		assertThat(cache.async().getOrLoad("b", () -> CompletableFuture.completedFuture("ttl=300")).join())
			.isEqualTo("ttl=300");
		assertSeconds(pttl("a"), 120);
		assertSeconds(pttl("b"), 300);
	}

	@Test
	void theLoadingLayerDerivesItsTtlsFromTheFunction() {
		// envelopes (early refresh) and jitter: the logical and physical TTLs come from the function's answer
		RedisCacheBackend<String> cache = backend(
				LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withTtlJitter(0.1)));
		assertThat(cache.getOrLoad("a", () -> "ttl=120")).isEqualTo("ttl=120");
		assertThat(cache.async().getOrLoad("b", () -> CompletableFuture.completedFuture("ttl=300")).join())
			.isEqualTo("ttl=300");
		cache.set("c", "ttl=200");
		cache.setMany(Map.of("d", "ttl=400", "e", "plain"));
		// jitter takes up to 10 % off; early refresh adds a margin of at most a few hundred ms
		assertThat(pttl("a")).isBetween(120_000L * 9 / 10 - 30_000, 121_000L);
		assertThat(pttl("b")).isBetween(300_000L * 9 / 10 - 30_000, 301_000L);
		assertThat(pttl("c")).isBetween(200_000L * 9 / 10 - 30_000, 201_000L);
		assertThat(pttl("d")).isBetween(400_000L * 9 / 10 - 30_000, 401_000L);
		assertThat(pttl("e")).isGreaterThan(DEFAULT_TTL.toMillis() * 9 / 10 - 30_000);
		assertThat(cache.get("a")).contains("ttl=120");
		assertThat(cache.get("d")).contains("ttl=400");
	}

	@Test
	void theNearCachePassesWritesToTheFunction() {
		RedisCacheBackend<String> cache = backend(io.cachekit.near.NearCache.defaults().layer());
		cache.set("a", "ttl=120");
		cache.setMany(Map.of("b", "ttl=300"));
		assertThat(cache.get("a")).contains("ttl=120");
		assertSeconds(pttl("a"), 120);
		assertSeconds(pttl("b"), 300);
	}

	@Test
	void aViewKeepsTheFunction() {
		RedisCacheBackend<String> cache = backend();
		var view = cache.withSerializer(CacheSerializers.string());
		view.set("a", "ttl=120");
		assertSeconds(pttl("a"), 120);
	}

}
