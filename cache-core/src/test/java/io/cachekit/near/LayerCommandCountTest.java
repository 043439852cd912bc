package io.cachekit.near;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;
import io.cachekit.test.RedisExtension;

/**
 * Layers apply to every operation of the contract: what reaches Redis, counted with
 * {@code INFO commandstats} on a server of this class's own, for each operation through a near
 * cache, a loading layer and both. A read through a near cache reaches Redis once however often it
 * is repeated ({@code getOrLoad} included, on both faces, with or without a loading layer, whose
 * entries may be plain, envelopes or tagged);
 * everything else reaches Redis on every call.
 */
class LayerCommandCountTest {

	private static final int CALLS = 10;

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
	void getOrLoadThroughANearCacheWithoutALoadingLayerReadsRedisOnceFor100Calls() {
		try (RedisCacheBackend<String> cache = backend("gol:", NearCache.defaults().layer())) {
			cache.set("k", "v");
			Map<String, Long> oneRead = oneNearRead(cache);
			AtomicInteger loads = new AtomicInteger();
			raw.commands.configResetstat();
			for (int i = 0; i < 50; i++) {
				assertThat(cache.getOrLoad("k", () -> "loaded" + loads.incrementAndGet())).isEqualTo("v");
			}
			for (int i = 0; i < 50; i++) {
				assertThat(cache.async()
					.getOrLoad("k", () -> CompletableFuture.completedFuture("loaded" + loads.incrementAndGet()))
					.join()).isEqualTo("v");
			}
			assertThat(loads).hasValue(0);
			assertThat(operationCommands()).as("Redis commands for 100 getOrLoad calls, both faces: one read")
				.isEqualTo(oneRead);

			// a missing key: loaded once, then answered as any other
			for (int i = 0; i < 100; i++) {
				assertThat(cache.getOrLoad("missing", () -> "loaded" + loads.incrementAndGet())).isEqualTo("loaded1");
			}
			assertThat(loads).hasValue(1);
		}
	}

	@Test
	void getOrLoadThroughANearCacheUnderALoadingLayerReadsRedisOnceFor100Calls() {
		try (RedisCacheBackend<String> cache = backend("gol-loading:", NearCache.defaults().layer(),
				LoadingLayer.coalescing())) {
			cache.set("k", "v");
			Map<String, Long> oneRead = oneNearRead(cache);
			raw.commands.configResetstat();
			for (int i = 0; i < 50; i++) {
				assertThat(cache.getOrLoad("k", () -> "loaded")).isEqualTo("v");
				assertThat(cache.async().getOrLoad("k", () -> CompletableFuture.completedFuture("loaded")).join())
					.isEqualTo("v");
			}
			assertThat(operationCommands()).as("Redis commands for 100 getOrLoad calls, both faces: one read")
				.isEqualTo(oneRead);
		}
	}

	static Stream<Arguments> operationsThroughEachLayer() {
		Map<String, List<CacheLayer>> stacks = new LinkedHashMap<>();
		stacks.put("near cache", List.of(NearCache.defaults().layer()));
		stacks.put("loading layer", List.of(LoadingLayer.coalescing()));
		stacks.put("near cache under a loading layer", List.of(NearCache.defaults().layer(), LoadingLayer.coalescing()));
		stacks.put("near cache under a loading layer with envelopes", List.of(NearCache.defaults().layer(),
				LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withStaleGrace(Duration.ofSeconds(30)))));
		stacks.put("near cache under a loading layer with tags",
				List.of(NearCache.defaults().layer(), LoadingLayer.coalescing(LoadingSettings.defaults().withTags(true))));
		Map<String, Consumer<CacheBackend<String>>> operations = new LinkedHashMap<>();
		operations.put("get", (c) -> c.get("k"));
		operations.put("async get", (c) -> c.async().get("k").join());
		operations.put("getMany", (c) -> c.getMany(List.of("k", "k2")));
		operations.put("getOrLoad", (c) -> c.getOrLoad("k", () -> "loaded"));
		operations.put("async getOrLoad", (c) -> c.async().getOrLoad("k", () -> CompletableFuture.completedFuture("loaded")).join());
		operations.put("exists", (c) -> c.exists("k"));
		operations.put("getTtl", (c) -> c.getTtl("k"));
		operations.put("set", (c) -> c.set("k", "v"));
		operations.put("add", (c) -> c.add("k", "v"));
		operations.put("delete", (c) -> c.delete("k"));
		operations.put("expire", (c) -> c.expire("k", Duration.ofMinutes(5)));
		operations.put("expireAt", (c) -> c.expireAt("k", Instant.now().plusSeconds(300)));
		operations.put("persist", (c) -> c.persist("k"));
		operations.put("incr", (c) -> c.incr("n", 1, 0, null));
		operations.put("setMany", (c) -> c.setMany(Map.of("k", "v", "k2", "v2")));
		operations.put("deleteMany", (c) -> c.deleteMany(List.of("k", "k2")));
		operations.put("addToSet", (c) -> c.addToSet("s", "a"));
		operations.put("addManyToSet", (c) -> c.addManyToSet("s", List.of("a", "b")));
		operations.put("getSetMembers", (c) -> c.getSetMembers("s"));
		operations.put("removeFromSet", (c) -> c.removeFromSet("s", "a"));
		operations.put("ping", CacheBackend::ping);
		operations.put("invalidatePattern", (c) -> c.invalidatePattern("k*"));
		operations.put("clear", CacheBackend::clear);
		return stacks.entrySet()
			.stream()
			.flatMap((stack) -> operations.entrySet()
				.stream()
				.map((op) -> Arguments.of(stack.getKey(), stack.getValue(), op.getKey(), op.getValue())));
	}

	@ParameterizedTest(name = "{2} through a {0}")
	@MethodSource("operationsThroughEachLayer")
	void everyOperationReachesRedisAsItsLayersSay(String stackName, List<CacheLayer> layers, String operation,
			Consumer<CacheBackend<String>> call) {
		String prefix = (stackName + ":" + operation + ":").replace(' ', '-');
		try (RedisCacheBackend<String> cache = backend(prefix, layers.toArray(CacheLayer[]::new))) {
			cache.set("k", "v");
			cache.set("k2", "v2");
			cache.addToSet("s", "x");
			raw.commands.configResetstat();
			call.accept(cache);
			Map<String, Long> first = operationCommands();
			assertThat(first).as("the first call reaches Redis").isNotEmpty();

			boolean read = Set.of("get", "async get", "getMany", "getOrLoad", "async getOrLoad").contains(operation);
			if (read && stackName.startsWith("near")) {
				raw.commands.configResetstat();
				for (int i = 1; i < CALLS; i++) {
					call.accept(cache);
				}
				assertThat(operationCommands()).as("%d repeated calls answered by the near cache", CALLS - 1).isEmpty();
				return;
			}
			// the first call may differ (a script loaded, a counter created, keys found and deleted):
			// from the second on, every call sends what the second sent
			raw.commands.configResetstat();
			call.accept(cache);
			Map<String, Long> second = operationCommands();
			raw.commands.configResetstat();
			for (int i = 2; i < CALLS; i++) {
				call.accept(cache);
			}
			Map<String, Long> expected = new LinkedHashMap<>();
			second.forEach((command, calls) -> expected.put(command, calls * (CALLS - 2)));
			assertThat(second).as("a repeated call reaches Redis").isNotEmpty();
			assertThat(operationCommands()).as("every call reaches Redis").isEqualTo(expected);
		}
	}

	/**
	 * What one near-cache read of a key sends (a script of GET and PTTL, whose inner commands
	 * Redis counts too), measured on a key of its own after a first read has loaded the script.
	 */
	private static Map<String, Long> oneNearRead(RedisCacheBackend<String> cache) {
		cache.set("warm-up", "w");
		cache.set("measured", "m");
		assertThat(cache.get("warm-up")).contains("w");
		raw.commands.configResetstat();
		assertThat(cache.get("measured")).contains("m");
		Map<String, Long> oneRead = operationCommands();
		assertThat(oneRead).as("one read reaches Redis").isNotEmpty();
		return oneRead;
	}

	private static RedisCacheBackend<String> backend(String prefix, CacheLayer... layers) {
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(redis.url())
			.serializer(CacheSerializers.string())
			.prefix(prefix);
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
