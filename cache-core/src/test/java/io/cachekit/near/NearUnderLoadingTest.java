package io.cachekit.near;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

import static io.cachekit.near.NearFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A near cache under a loading layer whose entries are its own (envelopes: early refresh, stale
 * grace; tags): a near hit still sends no command and, on the blocking face, costs no future
 * ({@code getNow}); {@code getMany} answers keys read before from the near cache and keeps what it
 * reads; what another client writes, the layer's own writes, logical expiry and tag invalidations
 * are still seen. Commands counted with {@code INFO commandstats} on a server of this class's own.
 */
class NearUnderLoadingTest {

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

	/** The loading layers whose reads bypassed the near cache before, and the plain one that never did. */
	static Stream<Arguments> loadingLayers() {
		return Stream.of(
				Arguments.of("envelopes", LoadingLayer
					.of(LoadingSettings.defaults().withEarlyRefresh(true).withStaleGrace(Duration.ofSeconds(30)))),
				Arguments.of("tags", LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true))),
				Arguments.of("stale grace and tags",
						LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofSeconds(30)).withTags(true))),
				Arguments.of("plain", LoadingLayer.coalescing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("loadingLayers")
	void aNearHitThroughALoadingLayerIsAnsweredFromMemoryWithoutACommand(String name, LoadingLayer loading) {
		NearCacheLayer near = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend("hit-" + name + ":", near, loading)) {
			cache.set("k", "v");
			if (name.contains("tags")) {
				cache.set("t", "tagged", null, List.of("red"));
			}
			assertThat(cache.get("k")).contains("v");
			long hits = near.stats().hits();
			raw.commands.configResetstat();
			CacheLevel<String> top = (CacheLevel<String>) cache.async();
			assertThat(top.getNow("k")).as("the blocking face's answer without a future").contains("v");
			AtomicInteger loads = new AtomicInteger();
			for (int i = 0; i < 50; i++) {
				assertThat(cache.get("k")).contains("v");
				assertThat(cache.async().get("k").join()).contains("v");
				assertThat(cache.getOrLoad("k", () -> "loaded" + loads.incrementAndGet())).isEqualTo("v");
				assertThat(cache.async()
					.getOrLoad("k", () -> CompletableFuture.completedFuture("loaded" + loads.incrementAndGet()))
					.join()).isEqualTo("v");
			}
			if (name.contains("tags")) {
				assertThat(cache.get("t")).contains("tagged");
				raw.commands.configResetstat();
				assertThat(top.getNow("t")).as("a tagged entry, its tag's version known").contains("tagged");
				assertThat(cache.get("t")).contains("tagged");
			}
			assertThat(loads).hasValue(0);
			assertThat(operationCommands()).as("near hits through a loading layer (%s)", name).isEmpty();
			assertThat(near.stats().hits()).isGreaterThanOrEqualTo(hits + 201);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("loadingLayers")
	void getManyAnswersKeysReadBeforeFromTheNearCacheAndKeepsWhatItReads(String name, LoadingLayer loading) {
		NearCacheLayer near = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend("many-" + name + ":", near, loading)) {
			List<String> readBefore = List.of("a1", "a2", "a3", "a4", "a5");
			List<String> readByGetMany = List.of("b1", "b2", "b3", "b4", "b5");
			Map<String, String> all = new LinkedHashMap<>();
			for (String key : readBefore) {
				all.put(key, "v-" + key);
			}
			for (String key : readByGetMany) {
				all.put(key, "v-" + key);
			}
			all.forEach(cache::set);
			readBefore.forEach(cache::get);

			raw.commands.configResetstat();
			assertThat(cache.getMany(readBefore)).hasSize(5).containsEntry("a1", "v-a1");
			assertThat(cache.async().getMany(readBefore).join()).hasSize(5);
			assertThat(operationCommands()).as("getMany of keys read before (%s)", name).isEmpty();

			List<String> both = new ArrayList<>(readBefore);
			both.addAll(readByGetMany);
			assertThat(cache.getMany(both)).isEqualTo(all);
			raw.commands.configResetstat();
			assertThat(cache.getMany(both)).isEqualTo(all);
			for (String key : readByGetMany) {
				assertThat(cache.get(key)).contains("v-" + key);
			}
			assertThat(operationCommands()).as("keys read by getMany are kept (%s)", name).isEmpty();
		}
	}

	@Test
	void aWriteByAnotherClientIsSeenThroughTheLoadingLayer() throws Exception {
		NearCacheLayer near = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend("other:", near, envelopes())) {
			for (int i = 0; i < 20; i++) {
				cache.set("k", "old" + i);
				assertThat(cache.get("k")).contains("old" + i);
				assertThat(cache.get("k")).contains("old" + i);
				String fresh = "new" + i;
				// a plain value from a plain socket: read as a plain entry by the loading layer
				Resp.call("127.0.0.1", redis.process().port(), "SET", "other:k", fresh);
				long took = await(Duration.ofSeconds(1), () -> cache.get("k").equals(Optional.of(fresh)));
				assertThat(took).as("write %d seen", i).isNotNegative();
			}
			assertThat(near.stats().invalidations()).isGreaterThanOrEqualTo(20);
		}
	}

	@Test
	void theLoadingLayersOwnWritesDropTheKeptEntryAtOnce() {
		NearCacheStats stats = new NearCacheStats();
		// deaf to Redis' invalidations: only the backend's own drops can make these pass
		CacheLayer deaf = NearFixtures.deaf(NearCache.defaults(), stats);
		try (RedisCacheBackend<String> cache = backend("own:", deaf,
				LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofSeconds(30)).withTags(true)))) {
			for (int i = 0; i < 20; i++) {
				cache.set("k", "v" + i);
				assertThat(cache.get("k")).as("set %d", i).contains("v" + i);
				assertThat(cache.get("k")).contains("v" + i);
			}
			cache.set("k", "tagged", null, List.of("red"));
			assertThat(cache.get("k")).as("tagged set").contains("tagged");
			assertThat(cache.get("k")).contains("tagged");
			cache.invalidateTag("red");
			assertThat(cache.get("k")).as("its tag invalidated").isEmpty();
			assertThat(cache.getOrLoad("k", () -> "loaded")).as("loaded under the lease").isEqualTo("loaded");
			assertThat(cache.get("k")).contains("loaded");
			cache.delete("k");
			assertThat(cache.get("k")).as("delete").isEmpty();
			assertThat(stats.invalidations()).as("deaf").isZero();
		}
	}

	@Test
	void aKeptEntryPastItsLogicalExpiryIsNotServed() throws Exception {
		NearCacheLayer near = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend("expiry:", near,
				LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofSeconds(30))))) {
			cache.set("k", "v", Duration.ofMillis(300));
			assertThat(cache.get("k")).contains("v");
			raw.commands.configResetstat();
			CacheLevel<String> top = (CacheLevel<String>) cache.async();
			assertThat(top.getNow("k")).contains("v");
			long took = await(Duration.ofSeconds(3), () -> cache.get("k").isEmpty());
			assertThat(took).as("a miss once logically expired").isNotNegative();
			assertThat(top.getNow("k")).as("decided from the kept entry").isEqualTo(Optional.empty());
			assertThat(operationCommands()).as("expiry decided in memory: the entry is still in Redis").isEmpty();
			// the stale value is served while its load fails, and the loaded one replaces it
			assertThat(cache.getOrLoad("k", () -> {
				throw new IllegalStateException("down");
			})).isEqualTo("v");
			assertThat(cache.getOrLoad("k", () -> "v2")).isEqualTo("v2");
			assertThat(cache.get("k")).contains("v2");
		}
	}

	@Test
	void withCopyOnReadEveryHitIsDecodedAgainAndSendsNothing() {
		NearCacheLayer near = NearCache.defaults().withCopyOnRead(true).layer();
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.prefix("copy:")
			.layer(near)
			.layer(envelopes())
			.build()) {
			cache.initialize();
			cache.set("k", new ArrayList<>(List.of("a", "b")));
			Object first = cache.get("k").orElseThrow();
			raw.commands.configResetstat();
			Object second = cache.get("k").orElseThrow();
			Object third = cache.async().get("k").join().orElseThrow();
			assertThat(second).isEqualTo(first).isNotSameAs(first).isEqualTo(third).isNotSameAs(third);
			assertThat(operationCommands()).as("copy-on-read hits").isEmpty();
			assertThat(near.stats().hits()).isEqualTo(2);
		}
	}

	@Test
	void timeToIdleReadsStillTouchTheEntryInRedis() {
		NearCacheLayer near = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend("idle:", near,
				LoadingLayer.of(LoadingSettings.defaults().withTimeToIdle(Duration.ofMinutes(5))))) {
			cache.set("k", "v");
			assertThat(cache.get("k")).contains("v");
			raw.commands.configResetstat();
			for (int i = 0; i < 5; i++) {
				assertThat(cache.get("k")).contains("v");
			}
			assertThat(operationCommands()).as("every read resets the idle time").containsEntry("getex", 5L);
		}
	}

	private static LoadingLayer envelopes() {
		return LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withStaleGrace(Duration.ofSeconds(30)));
	}

	private static RedisCacheBackend<String> backend(String prefix, CacheLayer... layers) {
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(redis.url())
			.serializer(CacheSerializers.string())
			.prefix(prefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_OPEN);
		for (CacheLayer layer : layers) {
			builder.layer(layer);
		}
		RedisCacheBackend<String> backend = builder.build();
		backend.initialize();
		return backend;
	}

	private static Map<String, Long> operationCommands() {
		return raw.operationCommands();
	}

}
