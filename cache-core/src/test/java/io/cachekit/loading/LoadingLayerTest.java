package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheLoadException;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/** The loading layer against a real Redis: coalescing, leases, early refresh, stale grace, jitter, time-to-idle, fail-open. */
class LoadingLayerTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private static ExecutorService pool;

	private final List<RedisCacheBackend<Object>> backends = new ArrayList<>();

	private final String prefix = "ll:" + System.nanoTime() + ":";

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
	}

	private RedisCacheBackend<Object> backend(CacheLayer layer) {
		return backend(redis.url(), layer, FailureMode.FAIL_OPEN);
	}

	private RedisCacheBackend<Object> backend(String url, CacheLayer layer, FailureMode mode) {
		RedisCacheBackend<Object> backend = RedisCacheBackend.builder(url)
			.prefix(this.prefix)
			.failureMode(mode)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(layer)
			.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	@Test
	void fourBackendsOfSixteenThreadsRunTheLoaderOncePerColdKey() throws Exception {
		List<RedisCacheBackend<Object>> four = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			four.add(backend(LoadingLayer.of(LoadingSettings.defaults())));
		}
		for (int round = 0; round < 10; round++) {
			String key = "cold-" + round;
			AtomicInteger loads = new AtomicInteger();
			CyclicBarrier start = new CyclicBarrier(64);
			List<Future<Object>> callers = new ArrayList<>();
			for (RedisCacheBackend<Object> backend : four) {
				for (int t = 0; t < 16; t++) {
					callers.add(pool.submit(() -> {
						start.await();
						return backend.getOrLoad(key, () -> {
							loads.incrementAndGet();
							Thread.sleep(150);
							return "value-of-" + key;
						});
					}));
				}
			}
			for (Future<Object> caller : callers) {
				assertThat(caller.get(20, TimeUnit.SECONDS)).isEqualTo("value-of-" + key);
			}
			assertThat(loads).as("loads of round %d", round).hasValue(1);
		}
	}

	@Test
	void asyncCallersShareOneLoadThatRunsOffTheRedisThreads() throws Exception {
		LoadingLayer layer = LoadingLayer.of(LoadingSettings.defaults());
		RedisCacheBackend<Object> backend = backend(layer);
		AtomicInteger loads = new AtomicInteger();
		Map<String, Boolean> loaderThreads = new ConcurrentHashMap<>();
		List<CompletableFuture<Object>> answers = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			answers.add(backend.async().getOrLoad("async", () -> {
				loads.incrementAndGet();
				loaderThreads.put(Thread.currentThread().getName(), true);
				return CompletableFuture.supplyAsync(() -> "loaded", CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
			}));
		}
		for (CompletableFuture<Object> answer : answers) {
			assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("loaded");
		}
		assertThat(loads).hasValue(1);
		assertThat(loaderThreads.keySet()).noneMatch((name) -> name.startsWith("lettuce"));
		assertThat(layer.getStats().coalescedWaits()).isPositive();
	}

	@Test
	void withoutTheEngineServicesLoadsAreCoalescedPerJvm() throws Exception {
		LoadingLayer loading = LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofSeconds(1)).withTimeToIdle(Duration.ofSeconds(5)));
		CacheLayer noServices = new CacheLayer() {
			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				return loading.over(below, withoutServices(context));
			}
		};
		RedisCacheBackend<Object> backend = backend(noServices);
		AtomicInteger loads = new AtomicInteger();
		CyclicBarrier start = new CyclicBarrier(16);
		List<Future<Object>> callers = new ArrayList<>();
		for (int t = 0; t < 16; t++) {
			callers.add(pool.submit(() -> {
				start.await();
				return backend.getOrLoad("plain", () -> {
					loads.incrementAndGet();
					Thread.sleep(100);
					return "v";
				});
			}));
		}
		for (Future<Object> caller : callers) {
			assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("v");
		}
		assertThat(loads).hasValue(1);
		// no envelope without the engine's bytes: the stored value is plain
		assertThat(backend.withSerializer(io.cachekit.core.serialization.CacheSerializers.json()).get("plain")).contains("v");
	}

	@Test
	void overAnotherLayerLoadsAreStillCoalescedAndPlainReadsGoThroughIt() throws Exception {
		AtomicInteger readsBelow = new AtomicInteger();
		CacheLayer counting = new CacheLayer() {
			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				return new io.cachekit.core.layer.ForwardingCacheLevel<>(below, context) {
					@Override
					public CompletableFuture<Optional<T>> get(String key, java.util.concurrent.Executor decodeOn) {
						readsBelow.incrementAndGet();
						return super.get(key, decodeOn);
					}
				};
			}
		};
		RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url())
			.prefix(this.prefix)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(counting)
			.layer(LoadingLayer.of(LoadingSettings.defaults()))
			.build();
		backend.initialize();
		this.backends.add(backend);
		AtomicInteger loads = new AtomicInteger();
		CyclicBarrier start = new CyclicBarrier(16);
		List<Future<Object>> callers = new ArrayList<>();
		for (int t = 0; t < 16; t++) {
			callers.add(pool.submit(() -> {
				start.await();
				return backend.getOrLoad("layered", () -> {
					loads.incrementAndGet();
					Thread.sleep(100);
					return "v";
				});
			}));
		}
		for (Future<Object> caller : callers) {
			assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("v");
		}
		assertThat(loads).hasValue(1);
		assertThat(readsBelow.get()).as("reads handed to the layer below").isPositive();
	}

	@Test
	void aHotKeyReadThroughTwentyExpiriesIsLoadedAtMostOncePerExpiryAndNoReaderWaits() throws Exception {
		Duration ttl = Duration.ofMillis(800);
		long loadMillis = 200;
		LoadingLayer layer = LoadingLayer.of(LoadingSettings.defaults().withEarlyRefresh(true).withBeta(0.3));
		RedisCacheBackend<Object> backend = backend(layer);
		AtomicInteger generation = new AtomicInteger();
		Map<Integer, AtomicInteger> loadsDuring = new ConcurrentHashMap<>();
		AtomicInteger current = new AtomicInteger(-1);
		UnaryOperator<Object> check = (value) -> value;
		backend.getOrLoad("hot", () -> {
			Thread.sleep(loadMillis);
			current.set(generation.get());
			return generation.getAndIncrement();
		}, ttl);
		long[] maxNanos = new long[64];
		long end = System.nanoTime() + ttl.toNanos() * 50;
		CyclicBarrier start = new CyclicBarrier(64);
		List<Future<?>> readers = new ArrayList<>();
		for (int r = 0; r < 64; r++) {
			int reader = r;
			readers.add(pool.submit(() -> {
				start.await();
				// through twenty refreshes (each replaces a value before it expires)
				while (generation.get() <= 21 && System.nanoTime() < end) {
					long t0 = System.nanoTime();
					Object value = backend.getOrLoad("hot", () -> {
						loadsDuring.computeIfAbsent(current.get(), (g) -> new AtomicInteger()).incrementAndGet();
						Thread.sleep(loadMillis);
						int next = generation.getAndIncrement();
						current.set(next);
						return next;
					}, ttl);
					maxNanos[reader] = Math.max(maxNanos[reader], System.nanoTime() - t0);
					assertThat(check.apply(value)).isInstanceOf(Integer.class);
					Thread.sleep(10);
				}
				return null;
			}));
		}
		for (Future<?> reader : readers) {
			reader.get(60, TimeUnit.SECONDS);
		}
		long max = 0;
		for (long m : maxNanos) {
			max = Math.max(max, m);
		}
		assertThat(generation.get()).as("values loaded").isGreaterThanOrEqualTo(20);
		assertThat(loadsDuring.values()).as("loader calls while one value was current").allMatch((n) -> n.get() <= 1);
		// a caller that waited for a load would have waited its 200 ms; a hit takes well under a
		// millisecond, the rest is scheduling on a busy machine
		assertThat(Duration.ofNanos(max)).as("slowest read").isLessThan(Duration.ofMillis(150));
		assertThat(layer.getStats().earlyRefreshes()).isGreaterThanOrEqualTo(19);
	}

	@Test
	void aFailingLoaderGetsTheStaleValueWithinTheGraceAndItsExceptionAfter() throws Exception {
		LoadingLayer layer = LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofMillis(800)));
		RedisCacheBackend<Object> backend = backend(layer);
		Duration ttl = Duration.ofMillis(300);
		assertThat(backend.getOrLoad("flaky", () -> "v1", ttl)).isEqualTo("v1");
		Thread.sleep(400);
		// logically expired, inside the grace
		assertThat(backend.get("flaky")).isEmpty();
		assertThat(backend.getOrLoad("flaky", () -> {
			throw new IllegalStateException("database down");
		}, ttl)).isEqualTo("v1");
		assertThat(layer.getStats().staleServed()).isEqualTo(1);
		assertThat(layer.getStats().loadFailures()).isEqualTo(1);
		Thread.sleep(900);
		assertThatThrownBy(() -> backend.getOrLoad("flaky", () -> {
			throw new IllegalStateException("database still down");
		}, ttl)).isInstanceOf(IllegalStateException.class).hasMessage("database still down");
		// a loader's checked exception arrives wrapped, its cause kept
		assertThatThrownBy(() -> backend.getOrLoad("flaky", () -> {
			throw new java.io.IOException("disk");
		}, ttl)).isInstanceOf(CacheLoadException.class).hasRootCauseMessage("disk");
		// a load that works stores a fresh envelope again
		assertThat(backend.getOrLoad("flaky", () -> "v2", ttl)).isEqualTo("v2");
		assertThat(backend.get("flaky")).contains("v2");
	}

	@Test
	void aReloadSlowerThanTheStaleLoadTimeoutAnswersTheStaleValueAndStoresItsOwnWhenDone() throws Exception {
		LoadingLayer layer = LoadingLayer.of(LoadingSettings.defaults().withStaleGrace(Duration.ofSeconds(5))
			.withStaleLoadTimeout(Duration.ofMillis(200)));
		RedisCacheBackend<Object> backend = backend(layer);
		Duration ttl = Duration.ofMillis(200);
		assertThat(backend.getOrLoad("slow", () -> "v1", ttl)).isEqualTo("v1");
		Thread.sleep(300);
		long start = System.nanoTime();
		assertThat(backend.getOrLoad("slow", () -> {
			Thread.sleep(1500);
			return "v2";
		}, Duration.ofSeconds(30))).isEqualTo("v1");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
		assertThat(layer.getStats().staleServed()).isEqualTo(1);
		Thread.sleep(1800);
		assertThat(backend.get("slow")).contains("v2");
	}

	@Test
	void jitterSpreadsTheExpiriesOfAThousandEntriesWrittenAtOnce() {
		RedisCacheBackend<Object> backend = backend(LoadingLayer.of(LoadingSettings.defaults().withTtlJitter(0.2)));
		Duration ttl = Duration.ofSeconds(100);
		for (int i = 0; i < 1000; i++) {
			backend.set("j" + i, i, ttl);
		}
		int[] buckets = new int[10];
		long min = Long.MAX_VALUE;
		long max = 0;
		for (int i = 0; i < 1000; i++) {
			long millis = backend.getTtl("j" + i).orElseThrow().toMillis();
			min = Math.min(min, millis);
			max = Math.max(max, millis);
			// the window is [80 s, 100 s]: ten buckets of 2 s
			buckets[(int) Math.min(9, Math.max(0, (millis - 80_000) / 2_000))]++;
		}
		assertThat(min).isGreaterThanOrEqualTo(79_000);
		assertThat(max).isLessThanOrEqualTo(100_000);
		assertThat(max - min).isGreaterThan(18_000);
		// uniform: about 100 per bucket
		assertThat(java.util.Arrays.stream(buckets).boxed().toList()).allMatch((n) -> n > 50 && n < 150);
	}

	@Test
	void timeToIdleKeepsAReadKeyAliveAndLetsAnUnreadOneExpire() throws Exception {
		Duration idle = Duration.ofMillis(600);
		RedisCacheBackend<Object> backend = backend(LoadingLayer.of(LoadingSettings.defaults().withTimeToIdle(idle)));
		backend.set("read", "r", idle);
		backend.set("unread", "u", idle);
		for (int i = 0; i < 10; i++) {
			Thread.sleep(150);
			assertThat(backend.getOrLoad("read", () -> "reloaded")).isEqualTo("r");
		}
		assertThat(backend.get("read")).contains("r");
		assertThat(backend.exists("unread")).isFalse();
	}

	@Test
	void redisDownMeansEveryCallerLoadsForItselfAndTheLoadersExceptionStillPropagates() {
		RedisCacheBackend<Object> backend = backend("redis://127.0.0.1:1", LoadingLayer.of(LoadingSettings.defaults()
			.withEarlyRefresh(true).withStaleGrace(Duration.ofSeconds(1)).withTimeToIdle(Duration.ofSeconds(1))), FailureMode.FAIL_OPEN);
		long start = System.nanoTime();
		assertThat(backend.getOrLoad("k", () -> "local")).isEqualTo("local");
		assertThat(backend.getOrLoad("k", () -> "again")).isEqualTo("again");
		assertThatThrownBy(() -> backend.getOrLoad("k", () -> {
			throw new IllegalArgumentException("loader says no");
		})).isInstanceOf(IllegalArgumentException.class).hasMessage("loader says no");
		assertThat(backend.async().getOrLoad("k", () -> CompletableFuture.completedFuture("async")).join()).isEqualTo("async");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void badArgumentsAreRejectedWithTheirName() {
		RedisCacheBackend<Object> backend = backend(LoadingLayer.of(LoadingSettings.defaults()));
		assertThatThrownBy(() -> backend.getOrLoad("", () -> "v")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("key");
		assertThatThrownBy(() -> backend.getOrLoad("k", () -> "v", Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
		assertThatThrownBy(() -> backend.getOrLoad("k", () -> null)).isInstanceOf(CacheLoadException.class)
			.hasMessageContaining("null");
		assertThatThrownBy(() -> LoadingSettings.defaults().withTtlJitter(1.5)).hasMessageContaining("ttlJitter");
		assertThatThrownBy(() -> LoadingSettings.defaults().withBeta(0)).hasMessageContaining("beta");
		assertThatThrownBy(() -> LoadingSettings.defaults().withLeaseTime(Duration.ZERO)).hasMessageContaining("leaseTime");
		assertThat(backend.get("k")).isEqualTo(Optional.empty());
	}

	private static <T> LayerContext<T> withoutServices(LayerContext<T> context) {
		return new LayerContext<>() {
			@Override
			public String prefix() {
				return context.prefix();
			}

			@Override
			public String target() {
				return context.target();
			}

			@Override
			public io.cachekit.core.CacheSerializer<T> serializer() {
				return context.serializer();
			}

			@Override
			public FailureMode failureMode() {
				return context.failureMode();
			}

			@Override
			public Duration commandTimeout() {
				return context.commandTimeout();
			}

			@Override
			public io.cachekit.core.OperationListener listener() {
				return context.listener();
			}

			@Override
			public <S> Optional<S> service(Class<S> type) {
				return Optional.empty();
			}
		};
	}

}
