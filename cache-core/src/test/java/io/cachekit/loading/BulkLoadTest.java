package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * {@code getAllOrLoad} against a real Redis on every stack: one read, one load of exactly the
 * missing keys, one write; near cache hits are hits; with a loading layer, one load per key per JVM
 * across overlapping concurrent callers, shared with {@code getOrLoad}.
 */
class BulkLoadTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private static ExecutorService pool;

	private final List<RedisCacheBackend<String>> backends = new ArrayList<>();

	@BeforeAll
	static void startPool() {
		pool = Executors.newCachedThreadPool();
	}

	@AfterAll
	static void stopPool() {
		pool.shutdownNow();
	}

	@AfterEach
	void close() {
		this.backends.forEach(RedisCacheBackend::shutdown);
		redis("FLUSHALL");
	}

	static Stream<Arguments> stacks() {
		return Stream.of(Arguments.of("no layer", List.of()), Arguments.of("coalescing", List.of(LoadingLayer.coalescing())),
				Arguments.of("leased loading", List.of(LoadingLayer.of(LoadingSettings.defaults()))),
				Arguments.of("near cache and loading",
						List.of(NearCache.defaults().layer(), LoadingLayer.of(LoadingSettings.defaults()))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stacks")
	void oneReadOneLoadOfExactlyTheMissingKeysOneWrite(String name, List<CacheLayer> layers) {
		CacheBackend<String> cache = backend("b1:", layers);
		List<String> keys = keys("k", 100);
		Map<String, String> present = new LinkedHashMap<>();
		for (int i = 0; i < 100; i += 2) {
			present.put(keys.get(i), "v" + keys.get(i));
		}
		cache.setMany(present);
		redis("CONFIG", "RESETSTAT");
		List<Set<String>> asked = new ArrayList<>();
		Map<String, String> answer = cache.getAllOrLoad(keys, (missing) -> {
			asked.add(Set.copyOf(missing));
			Map<String, String> loaded = new LinkedHashMap<>();
			missing.forEach((key) -> loaded.put(key, "v" + key));
			return loaded;
		}, Duration.ofMinutes(1));
		assertThat(asked).as("one load of exactly the missing keys")
			.containsExactly(Set.copyOf(keys.stream().filter((k) -> !present.containsKey(k)).toList()));
		assertThat(answer.keySet()).as("in request order").containsExactlyElementsOf(keys);
		answer.forEach((key, value) -> assertThat(value).isEqualTo("v" + key));
		if (layers.stream().noneMatch(NearCacheLayer.class::isInstance)) {
			// (a near cache reads the keys it does not hold one by one, pipelined, as its getMany does)
			Map<String, Long> commands = operationCommands();
			commands.remove("set"); // the set-many script's own SETs, which Redis counts too
			assertThat(commands).as("one MGET, one set-many script").containsOnly(Map.entry("mget", 1L), Map.entry("evalsha", 1L));
		}
		assertThat(cache.getMany(keys)).as("all stored").hasSize(100);
	}

	@Test
	void aLoaderThatLeavesKeysOutStoresAndAnswersOnlyWhatItLoaded() {
		CacheBackend<String> cache = backend("b2:", List.of(LoadingLayer.coalescing()));
		cache.set("a", "A");
		Map<String, String> answer = cache.getAllOrLoad(List.of("a", "b", "c", "b"),
				(missing) -> Map.of("b", "B", "zz", "not asked"));
		assertThat(answer).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
		assertThat(cache.exists("c")).isFalse();
		assertThat(cache.exists("zz")).as("keys not asked for are ignored").isFalse();
		assertThat(cache.getAllOrLoad(List.of(), (missing) -> {
			throw new AssertionError("no load for no keys");
		})).isEmpty();
		assertThat(cache.getAllOrLoad(List.of("a", "b"), (missing) -> {
			throw new AssertionError("no load when all are present");
		})).containsOnlyKeys("a", "b");
	}

	@Test
	void aLoadersFailureReachesTheCallerAndStoresNothing() {
		CacheBackend<String> cache = backend("b3:", List.of(LoadingLayer.coalescing()));
		assertThatIllegalStateException().isThrownBy(() -> cache.getAllOrLoad(List.of("a", "b"), (missing) -> {
			throw new IllegalStateException("database down");
		})).withMessage("database down");
		assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
		assertThat(cache.getAllOrLoad(List.of("a"), (missing) -> Map.of("a", "A"))).containsEntry("a", "A");
	}

	@Test
	void elementsAnsweredByTheNearCacheAreHitsAndReachNoServer() {
		NearCacheLayer near = NearCache.defaults().layer();
		CacheBackend<String> cache = backend("b4:", List.of(near, LoadingLayer.coalescing()));
		List<String> keys = keys("n", 100);
		cache.getAllOrLoad(keys, (missing) -> values(missing));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (near.stats().size() < 100 && System.nanoTime() < deadline) {
			// kept on a read; the invalidations of the write before may still drop some
			cache.getMany(keys);
		}
		assertThat(near.stats().size()).as("held by the near cache").isEqualTo(100);
		long hits = near.stats().hits();
		redis("CONFIG", "RESETSTAT");
		Map<String, String> answer = cache.getAllOrLoad(keys, (missing) -> {
			throw new AssertionError("all are hits");
		});
		assertThat(answer).hasSize(100);
		assertThat(near.stats().hits() - hits).as("near cache hits").isEqualTo(100);
		assertThat(operationCommands()).as("nothing sent").isEmpty();
	}

	@Test
	void theAsyncFaceLoadsTheMissingKeysOnce() {
		CacheBackend<String> cache = backend("b5:", List.of(LoadingLayer.coalescing()));
		cache.set("a", "A");
		List<Set<String>> asked = new ArrayList<>();
		Map<String, String> answer = cache.async().getAllOrLoad(List.of("a", "b"), (missing) -> {
			asked.add(Set.copyOf(missing));
			return CompletableFuture.completedFuture(values(missing));
		}).join();
		assertThat(asked).containsExactly(Set.of("b"));
		assertThat(answer).containsExactly(Map.entry("a", "A"), Map.entry("b", "vb"));
		assertThat(cache.get("b")).hasValue("vb");
	}

	/**
	 * 16 threads, each asking for 20 keys that overlap its neighbours' (windows 5 apart, 95 keys in
	 * all), 10 rounds on fresh keys: each key is loaded once per round, and every caller gets
	 * each key's own value.
	 */
	@Test
	void overlappingConcurrentCallersLoadEachKeyOnce() throws Exception {
		CacheBackend<String> cache = backend("b6:", List.of(LoadingLayer.coalescing()));
		for (int round = 0; round < 10; round++) {
			List<String> keys = keys("r" + round + "-", 100);
			Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
			CyclicBarrier start = new CyclicBarrier(16);
			List<Future<Map<String, String>>> calls = new ArrayList<>();
			for (int t = 0; t < 16; t++) {
				List<String> window = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					window.add(keys.get((t * 5 + i) % 100));
				}
				calls.add(pool.submit(() -> {
					start.await(10, TimeUnit.SECONDS);
					return cache.getAllOrLoad(window, (missing) -> {
						missing.forEach((key) -> loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet());
						sleep(20);
						return values(missing);
					});
				}));
			}
			for (Future<Map<String, String>> call : calls) {
				Map<String, String> answer = call.get(30, TimeUnit.SECONDS);
				assertThat(answer).hasSize(20);
				answer.forEach((key, value) -> assertThat(value).isEqualTo("v" + key));
			}
			int round0 = round;
			loads.forEach((key, count) -> assertThat(count.get()).as("loads of %s in round %d", key, round0).isEqualTo(1));
			assertThat(loads).as("every key asked for loaded").hasSize(95);
		}
	}

	@Test
	void aGetOrLoadOfAKeyABulkLoadLeavesOutLoadsItItself() throws Exception {
		LoadingLayer loading = LoadingLayer.coalescing();
		CacheBackend<String> cache = backend("b7:", List.of(loading));
		CountDownLatch bulkLoading = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Future<Map<String, String>> bulk = pool.submit(() -> cache.getAllOrLoad(List.of("a", "b"), (missing) -> {
			bulkLoading.countDown();
			await(release);
			return Map.of("a", "A");
		}));
		assertThat(bulkLoading.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicInteger singleLoads = new AtomicInteger();
		CompletableFuture<String> single = cache.async().getOrLoad("b", () -> {
			singleLoads.incrementAndGet();
			return CompletableFuture.completedFuture("B");
		});
		CompletableFuture<String> joined = cache.async().getOrLoad("a", () -> {
			throw new AssertionError("a is being loaded");
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (loading.getStats().coalescedWaits() < 2 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(loading.getStats().coalescedWaits()).as("both wait for the bulk load").isEqualTo(2);
		assertThat(single).isNotDone();
		release.countDown();
		assertThat(bulk.get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("a", "A"));
		assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("A");
		assertThat(single.get(10, TimeUnit.SECONDS)).isEqualTo("B");
		assertThat(singleLoads).hasValue(1);
	}

	private CacheBackend<String> backend(String prefix, List<CacheLayer> layers) {
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(redis.url())
			.serializer(CacheSerializers.string())
			.commandTimeout(Duration.ofSeconds(2))
			.prefix(prefix);
		layers.forEach(builder::layer);
		RedisCacheBackend<String> backend = builder.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	private static List<String> keys(String prefix, int count) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			keys.add(prefix + i);
		}
		return keys;
	}

	private static Map<String, String> values(Set<String> keys) {
		Map<String, String> values = new LinkedHashMap<>();
		keys.forEach((key) -> values.put(key, "v" + key));
		return values;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Object redis(String... command) {
		return Resp.call("127.0.0.1", redis.process().port(), command);
	}

	/** Calls per command since the last reset, without the connection's own and this test's. */
	private static Map<String, Long> operationCommands() {
		Set<String> notOperations = new LinkedHashSet<>(List.of("echo", "psetex", "strlen", "info", "config", "hello",
				"client", "command", "select", "script", "ping"));
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : String.valueOf(redis("INFO", "commandstats")).split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + "calls=".length()).split(",")[0];
				if (!notOperations.contains(command.split("\\|")[0])) {
					calls.put(command, Long.parseLong(count));
				}
			}
		}
		return calls;
	}

}
