package io.cachekit.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.cachekit.core.ErrorCode;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;

/**
 * CacheKit's meter handler makes the meters Micrometer's default handler makes, with the same
 * names, tags and counts, for the same observations (outcomes, error codes, thrown exceptions,
 * several caches), and leaves every other observation to the next handler of the group.
 */
class CacheKitMeterObservationHandlerTests {

	@Test
	void makesTheMetersTheDefaultHandlerMakes() {
		SimpleMeterRegistry byDefault = new SimpleMeterRegistry();
		ObservationRegistry defaultOnly = ObservationRegistry.create();
		defaultOnly.observationConfig().observationHandler(new DefaultMeterObservationHandler(byDefault));

		SimpleMeterRegistry byCacheKit = new SimpleMeterRegistry();
		ObservationRegistry grouped = ObservationRegistry.create();
		// as Spring Boot groups its MeterObservationHandler beans: the first that supports a context
		grouped.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new CacheKitMeterObservationHandler(byCacheKit, true), new DefaultMeterObservationHandler(byCacheKit)));

		for (ObservationRegistry registry : new ObservationRegistry[] { defaultOnly, grouped }) {
			CacheKitObservations observations = new CacheKitObservations(registry, null, false);
			for (int i = 0; i < 3; i++) {
				call(observations, "get", "products", (context) -> context.setOutcome("hit"));
				call(observations, "get", "products", (context) -> context.setOutcome("miss"));
				call(observations, "set", CacheKitObservationContext.NO_CACHE, (context) -> context.setOutcome("stored"));
				call(observations, "get", "users", (context) -> context.setErrorCode(ErrorCode.CIRCUIT_OPEN));
			}
			assertThatIllegalStateException().isThrownBy(() -> call(observations, "get", "users", (context) -> {
				throw new IllegalStateException("a loader's bug");
			}));
			Observation.createNotStarted("other", registry).observe(() -> {
			});
		}

		// six timers (five outcomes, one other) and four long task timers (three CacheKit start tag sets, one other)
		assertThat(meters(byCacheKit)).isEqualTo(meters(byDefault)).hasSize(10);
		assertThat(byCacheKit.get("cachekit.operation")
			.tags("cache.operation", "get", "cache.name", "users", "cache.outcome", "error", "error",
					"IllegalStateException")
			.timer()
			.count()).isOne();
	}

	@Test
	void timesTheCallAndCountsItOnceInFlight() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new CacheKitMeterObservationHandler(meters, true));
		CacheKitObservations observations = new CacheKitObservations(registry, null, false);
		long[] active = new long[1];
		observations.observe(observations.context("get", "products", "k"), () -> {
			active[0] = meters.get("cachekit.operation.active").longTaskTimer().activeTasks();
			return java.util.Optional.of("v");
		}, CacheKitObservations.Outcome.READ);
		assertThat(active[0]).isOne();
		LongTaskTimer longTask = meters.get("cachekit.operation.active").longTaskTimer();
		assertThat(longTask.activeTasks()).isZero();
		Timer timer = meters.get("cachekit.operation").tag("cache.outcome", "hit").timer();
		assertThat(timer.count()).isOne();
		assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void withoutLongTaskTimersOnlyTheTimer() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new CacheKitMeterObservationHandler(meters, false));
		CacheKitObservations observations = new CacheKitObservations(registry, null, false);
		call(observations, "get", "products", (context) -> context.setOutcome("hit"));
		assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
			.containsExactly("cachekit.operation");
	}

	@Test
	void manyThreadsFirstUsingTheSameTimersCountEveryCall() throws Exception {
		int threads = 8;
		int calls = 2_000;
		String[] caches = { "a", "b", "c", "d" };
		for (int round = 0; round < 5; round++) {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new CacheKitMeterObservationHandler(meters, true));
			CacheKitObservations observations = new CacheKitObservations(registry, null, false);
			java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
			try {
				java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
				for (int t = 0; t < threads; t++) {
					done.add(pool.submit(() -> {
						start.await();
						for (int i = 0; i < calls; i++) {
							call(observations, "get", caches[i % caches.length], (context) -> context.setOutcome("hit"));
						}
						return null;
					}));
				}
				start.countDown();
				for (java.util.concurrent.Future<?> future : done) {
					future.get(60, java.util.concurrent.TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
			for (String cache : caches) {
				assertThat(meters.get("cachekit.operation").tag("cache.name", cache).timer().count())
					.as("round %d, cache %s", round, cache)
					.isEqualTo((long) threads * calls / caches.length);
				assertThat(meters.get("cachekit.operation.active").tag("cache.name", cache).longTaskTimer().activeTasks())
					.isZero();
			}
		}
	}

	@Test
	void wrappedForExemplarsAsBootWrapsMeterHandlersWithTracing() {
		// Spring Boot, with Micrometer Tracing, wraps each MeterObservationHandler of the group so
		SimpleTracer tracer = new SimpleTracer();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultTracingObservationHandler(tracer))
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new TracingAwareMeterObservationHandler<>(new CacheKitMeterObservationHandler(meters, true), tracer),
					new TracingAwareMeterObservationHandler<>(new DefaultMeterObservationHandler(meters), tracer)));
		CacheKitObservations observations = new CacheKitObservations(registry, null, false);
		call(observations, "get", "products", (context) -> context.setOutcome("hit"));
		Observation.createNotStarted("other", registry).observe(() -> {
		});
		assertThat(meters.get("cachekit.operation").tag("cache.outcome", "hit").timer().count()).isOne();
		assertThat(meters.get("other").timer().count()).isOne();
		assertThat(tracer.getSpans()).extracting(SimpleSpan::getName).containsExactlyInAnyOrder("cachekit get", "other");
	}

	private static void call(CacheKitObservations observations, String operation, String cacheName,
			Consumer<CacheKitObservationContext> answer) {
		CacheKitObservationContext context = observations.context(operation, cacheName, (String) null);
		observations.observe(context, () -> {
			answer.accept(context);
			return null;
		}, (c, result) -> {
		});
	}

	/** Each meter's name, type and tags, with its count. */
	private static Map<String, Long> meters(MeterRegistry registry) {
		Map<String, Long> meters = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			long count = (meter instanceof Timer timer) ? timer.count()
					: ((meter instanceof LongTaskTimer longTask) ? longTask.activeTasks() : -1);
			meters.put(meter.getId().getType() + " " + meter.getId().getName() + meter.getId().getTags(), count);
		}
		return meters;
	}

}
