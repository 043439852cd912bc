package io.cachekit.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.autoconfigure.observation.CacheKitObservationAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCache;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.observation.Observation;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;

/**
 * Observations of cache operations against a real Redis: {@code @Cacheable} miss then hit, a
 * fail-open outage, Lettuce's command spans under the cache operation's span, and nothing at
 * all without an observation registry.
 */
class CacheKitObservationTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private static final String NAME = CacheKitObservationDocumentation.OPERATION_NAME;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheKitObservationAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.prefix=obs:");

	@BeforeEach
	void clean() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
	}

	@Test
	void cacheableMissThenHitIsObservedUnderTheCacheName() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			assertThat(catalog.find("p1")).isEqualTo("product p1");
			assertThat(catalog.find("p1")).isEqualTo("product p1");
			assertThat(catalog.loads()).isEqualTo(1);
			// lookup (miss), store the method's answer, lookup (hit)
			assertThat(cacheOperations(registry)).containsExactly("get products miss", "set products stored",
					"get products hit");
			TestObservationRegistryAssert.assertThat(registry)
				.forAllObservationsWithNameEqualTo(NAME, (observation) -> observation.doesNotHaveError()
					.hasContextualNameEqualTo("cachekit " + ((CacheKitObservationContext) observation.actual()).getOperation())
					.doesNotHaveHighCardinalityKeyValueWithKey("cache.key"));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasNameEqualTo(NAME)
					.hasLowCardinalityKeyValue("cache.outcome", "hit")
					.hasHighCardinalityKeyValue("cache.hit", "true"));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasNameEqualTo(NAME)
					.hasLowCardinalityKeyValue("cache.outcome", "miss")
					.hasHighCardinalityKeyValue("cache.hit", "false"));
		});
	}

	@Test
	void keysAreRecordedOnlyWhenIncludeKeysIsOn() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			.withPropertyValues("app.cache.observations.include-keys=true")
			.run((context) -> {
				context.getBean(Catalog.class).find("p2");
				TestObservationRegistryAssert.assertThat(registry)
					.forAllObservationsWithNameEqualTo(NAME,
							(observation) -> observation.hasHighCardinalityKeyValue("cache.key", "products::p2"));
			});
	}

	@Test
	void injectedBackendIsObservedWithoutACacheName() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			@SuppressWarnings("unchecked")
			CacheBackend<Object> backend = context.getBean(CacheBackend.class);
			assertThat(backend).isInstanceOf(ObservedCacheBackend.class);
			backend.set("a", "1", Duration.ofSeconds(30));
			assertThat(backend.getMany(List.of("a", "b"))).isEqualTo(Map.of("a", "1"));
			assertThat(backend.async().get("a").join()).contains("1");
			assertThat(cacheOperations(registry)).containsExactly("set none stored", "getMany none partial",
					"get none hit");
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("cache.operation", "set")
					.hasHighCardinalityKeyValue("cache.ttl", "30000"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("cache.operation", "getMany")
					.hasHighCardinalityKeyValue("cache.items", "2"));
			// one health component and one lifecycle-managed backend: the observed face is no second backend
			assertThat(context).hasSingleBean(RedisCacheBackend.class);
		});
	}

	@Test
	void failOpenOutageIsObservedWithTheErrorCode() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
			catalog.find("warm");
			redis.process().stop();
			try {
				awaitDisconnected(backend);
				registry.clear();
				// fail-open: the cache is a pass-through, the method runs
				assertThat(catalog.find("down")).isEqualTo("product down");
				List<String> operations = cacheOperations(registry);
				assertThat(operations).hasSize(2);
				assertThat(operations.get(0)).startsWith("get products ");
				assertThat(outcome(operations.get(0))).isIn(ErrorCode.CONNECTION.name(), ErrorCode.CIRCUIT_OPEN.name());
				assertThat(outcome(operations.get(1))).isIn(ErrorCode.CONNECTION.name(), ErrorCode.CIRCUIT_OPEN.name());
			}
			finally {
				redis.process().restart();
			}
		});
	}

	@Test
	void failFastTimeoutIsObservedWithTheErrorCodeAndTheException() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			// a timeout long enough for the connection's handshake on a busy machine, a pause longer still
			.withPropertyValues("app.cache.failure-mode=fail-fast", "app.cache.timeout=1s")
			.run((context) -> {
				@SuppressWarnings("unchecked")
			CacheBackend<Object> backend = context.getBean(CacheBackend.class);
				backend.set("k", "v");
				registry.clear();
				// a write's timeout is detected on a timer thread, away from the caller: only the exception tells
				Resp.call("127.0.0.1", redis.process().port(), "CLIENT", "PAUSE", "3000", "ALL");
				try {
					assertThatExceptionOfType(CacheException.class).isThrownBy(() -> backend.set("k", "w"))
						.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(ErrorCode.TIMEOUT));
					TestObservationRegistryAssert.assertThat(registry)
						.hasNumberOfObservationsWithNameEqualTo(NAME, 1)
						.hasObservationWithNameEqualTo(NAME)
						.that()
						.hasLowCardinalityKeyValue("cache.operation", "set")
						.hasLowCardinalityKeyValue("cache.outcome", ErrorCode.TIMEOUT.name())
						.hasError();
				}
				finally {
					Resp.call("127.0.0.1", redis.process().port(), "CLIENT", "UNPAUSE");
				}
			});
	}

	@Test
	void redisCommandSpanIsAChildOfTheCacheOperationSpan() {
		SimpleTracer tracer = new SimpleTracer();
		this.contextRunner.withBean(ObservationRegistry.class, () -> tracingRegistry(tracer))
			.run((context) -> assertRedisSpanUnderCacheSpan(context.getBean(Catalog.class), tracer, "p3"));
	}

	@Test
	void withSpringDataRedisBootsTracedClientResourcesAreUsed() {
		SimpleTracer tracer = new SimpleTracer();
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					LettuceObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> tracingRegistry(tracer))
			.withPropertyValues("spring.data.redis.port=" + redis.process().port())
			.run((context) -> {
				assertThat(context).hasSingleBean(ClientResources.class).doesNotHaveBean("cacheKitClientResources");
				assertRedisSpanUnderCacheSpan(context.getBean(Catalog.class), tracer, "p6");
			});
	}

	private static ObservationRegistry tracingRegistry(SimpleTracer tracer) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		return registry;
	}

	private static void assertRedisSpanUnderCacheSpan(Catalog catalog, SimpleTracer tracer, String id) {
		catalog.find(id);
		List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
		SimpleSpan lookup = spans.stream()
			.filter((span) -> "cachekit get".equals(span.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no cache span in " + names(spans)));
		SimpleSpan command = spans.stream()
			.filter((span) -> "get".equalsIgnoreCase(span.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no Redis GET span in " + names(spans)));
		assertThat(command.getTraceId()).isEqualTo(lookup.getTraceId());
		assertThat(command.getParentId()).isEqualTo(lookup.getSpanId());
		assertThat(lookup.getTags()).containsEntry("cache.name", "products").containsEntry("cache.outcome", "miss");
	}

	@Test
	void starterOwnedClientResourcesAreShutDownWithTheContext() {
		ClientResources[] resources = new ClientResources[1];
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create).run((context) -> {
			assertThat(context).hasBean("cacheKitClientResources");
			resources[0] = context.getBean(ClientResources.class);
			assertThat(resources[0].tracing().isEnabled()).isTrue();
		});
		assertThat(resources[0].eventExecutorGroup().isShuttingDown()).isTrue();
	}

	@Test
	void starterOwnedClientResourcesConsolidateFlushesOnTheirChannels() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create).run((context) -> {
			ClientResources resources = context.getBean("cacheKitClientResources", ClientResources.class);
			// the customizer Lettuce runs on every channel of these resources, the backend's included
			EmbeddedChannel channel = new EmbeddedChannel();
			try {
				resources.nettyCustomizer().afterChannelInitialized(channel);
				assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
			}
			finally {
				channel.finishAndReleaseAll();
			}
			assertThat(context.getBean(RedisCacheBackend.class).ping()).isTrue();
		});
	}

	@Test
	void withoutAnObservationRegistryTheBackendIsThePlainOne() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CacheBackend.class);
			assertThat(context.getBean(CacheBackend.class)).isInstanceOf(RedisCacheBackend.class);
			assertThat(context).doesNotHaveBean(ObservedCacheBackend.class)
				.doesNotHaveBean(CacheKitObservations.class)
				.doesNotHaveBean(ObservationErrorListener.class)
				.doesNotHaveBean(ClientResources.class);
			CacheKitCache cache = (CacheKitCache) context.getBean(CacheManager.class).getCache("products");
			assertThat(cache.getNativeCache()).isNotInstanceOf(ObservedCacheBackend.class);
		});
	}

	@Test
	void withoutMicrometerObservationOnTheClasspathTheBridgeStillWorks() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ObservedCacheBackend.class);
			assertThat(context.getBean(Catalog.class).find("p5")).isEqualTo("product p5");
			assertThat(context.getBean(Catalog.class).find("p5")).isEqualTo("product p5");
			assertThat(context.getBean(Catalog.class).loads()).isEqualTo(1);
		});
	}

	@Test
	void observationsEnabledFalseTurnsItOff() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			.withPropertyValues("app.cache.observations.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(CacheBackend.class)).isInstanceOf(RedisCacheBackend.class);
				context.getBean(Catalog.class).find("p4");
				TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
			});
	}

	/** "operation cacheName outcome" of each cache observation, in the order they stopped. */
	private static List<String> cacheOperations(TestObservationRegistry registry) {
		List<String> operations = new java.util.ArrayList<>();
		TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy((contexts) -> contexts.stream()
			.filter(CacheKitObservationContext.class::isInstance)
			.map((context) -> value(context, "cache.operation") + " " + value(context, "cache.name") + " "
					+ value(context, "cache.outcome"))
			.forEach(operations::add));
		return operations;
	}

	private static String value(Observation.Context context, String key) {
		var keyValue = context.getLowCardinalityKeyValue(key);
		return (keyValue != null) ? keyValue.getValue() : "?";
	}

	private static String outcome(String operation) {
		return operation.substring(operation.lastIndexOf(' ') + 1);
	}

	private static List<String> names(List<SimpleSpan> spans) {
		return spans.stream().map((span) -> span.getName() + "(" + span.getSpanId() + "<" + span.getParentId() + ")").toList();
	}

	private static void awaitDisconnected(RedisCacheBackend<?> backend) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (backend.diagnostics().isConnected() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(backend.diagnostics().isConnected()).as("backend saw Redis go away").isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

	}

	public static class Catalog {

		private final AtomicInteger loads = new AtomicInteger();

		public int loads() {
			return this.loads.get();
		}

		@Cacheable("products")
		public String find(String id) {
			this.loads.incrementAndGet();
			return "product " + id;
		}

	}

}
