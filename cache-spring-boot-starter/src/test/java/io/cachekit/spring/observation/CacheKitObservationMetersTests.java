package io.cachekit.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.observation.CacheKitObservationAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;

/**
 * With Spring Boot's metrics and observation auto-configuration, CacheKit's meter handler is the
 * one that records CacheKit's observations, once each (Boot's default meter handler, in the same
 * first-match group, does not record them too), while Boot's handler keeps every other
 * observation and the handlers outside the group (tracing) still see CacheKit's.
 */
class CacheKitObservationMetersTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private static final String NAME = CacheKitObservationDocumentation.OPERATION_NAME;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				CacheKitAutoConfiguration.class, CacheKitObservationAutoConfiguration.class))
		.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.prefix=meters:");

	@BeforeEach
	void clean() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
	}

	@Test
	void cacheKitsHandlerRecordsEachCallOnceWithTheDocumentedTags() {
		Contexts contexts = new Contexts();
		this.contextRunner.withBean(Contexts.class, () -> contexts).run((context) -> {
			assertThat(context).hasSingleBean(CacheKitMeterObservationHandler.class);
			@SuppressWarnings("unchecked")
			CacheBackend<Object> backend = context.getBean(CacheBackend.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			backend.get("k");
			backend.set("k", "v", null);
			backend.get("k");
			assertThat(timer(meters, "get", "miss").count()).isOne();
			assertThat(timer(meters, "set", "stored").count()).isOne();
			assertThat(timer(meters, "get", "hit").count()).isOne();
			assertThat(meters.get(NAME + ".active")
				.tags("cache.operation", "get", "cache.name", "none", "cache.outcome", "unknown")
				.longTaskTimer()
				.activeTasks()).isZero();
			// CacheKit's handler started them (its start time on the context), Boot's did not (no sample)
			assertThat(contexts.seen).hasSize(3).allSatisfy((seen) -> {
				assertThat(seen.startNanos).isNotZero();
				assertThat((Object) seen.get(Timer.Sample.class)).isNull();
			});
		});
	}

	@Test
	void otherObservationsStayWithBootsHandler() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation.createNotStarted("other.work", registry).observe(() -> {
			});
			assertThat(context.getBean(MeterRegistry.class).get("other.work").timer().count()).isOne();
		});
	}

	@Test
	void bootsIgnoredMetersPropertyTurnsTheLongTaskTimerOff() {
		this.contextRunner.withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				context.getBean(CacheBackend.class).get("k");
				assertThat(timer(meters, "get", "miss").count()).isOne();
				assertThat(meters.find(NAME + ".active").longTaskTimer()).isNull();
			});
	}

	@Test
	void tracingHandlersStillSeeTheObservation() {
		SimpleTracer tracer = new SimpleTracer();
		this.contextRunner.withBean(DefaultTracingObservationHandler.class, () -> new DefaultTracingObservationHandler(tracer))
			.run((context) -> {
				context.getBean(CacheBackend.class).get("k");
				assertThat(tracer.getSpans()).anySatisfy((span) -> assertThat(span.getName()).isEqualTo("cachekit get"));
				assertThat(timer(context.getBean(MeterRegistry.class), "get", "miss").count()).isOne();
			});
	}

	private static Timer timer(MeterRegistry meters, String operation, String outcome) {
		return meters.get(NAME)
			.tags("cache.operation", operation, "cache.name", "none", "cache.outcome", outcome, "error", "none")
			.timer();
	}

	/** Keeps the CacheKit contexts it is told about, at their stop. */
	static class Contexts implements ObservationHandler<CacheKitObservationContext> {

		final List<CacheKitObservationContext> seen = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(CacheKitObservationContext context) {
			this.seen.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof CacheKitObservationContext;
		}

	}

}
