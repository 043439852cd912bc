package io.cachekit.autoconfigure.observation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitProperties;
import io.cachekit.core.CacheBackend;
import io.cachekit.redis.CacheKitClientResources;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.observation.CacheKitMeterObservationHandler;
import io.cachekit.spring.observation.CacheKitObservationConvention;
import io.cachekit.spring.observation.CacheKitObservations;
import io.cachekit.spring.observation.ObservationErrorListener;
import io.cachekit.spring.observation.ObservedCacheBackend;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observations of CacheKit operations, only when the application has an
 * {@link ObservationRegistry} bean (Spring Boot makes one with {@code spring-boot-micrometer-observation},
 * which the actuator brings): the {@code CacheBackend} to inject becomes an observed face of the
 * backend ({@code @Primary}; the {@code RedisCacheBackend} bean stays as it is), every
 * {@code @Cacheable} cache is observed under its name, and client resources that the starter
 * creates trace Redis commands with Lettuce's {@link MicrometerTracing}, so the command spans sit
 * under the cache operation's span (those resources consolidate flushes as the backend's own
 * do, see {@link CacheKitClientResources}). With a {@link MeterRegistry} bean too, a
 * {@link CacheKitMeterObservationHandler} records the operations' timers (the meters of Boot's
 * default handler, at a lower cost per call). Without a registry none of this exists: the
 * backend bean is the plain one and no call pays anything.
 * {@code app.cache.observations.enabled=false} turns it off.
 */
// By name: spring-boot-micrometer-observation is not a dependency of the starter.
@AutoConfiguration(after = CacheKitAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ ObservationRegistry.class, RedisCacheBackend.class, CacheKitObservations.class })
// a registry, and a Redis backend to observe (not, say, cache-test's in-memory one)
@ConditionalOnBean({ ObservationRegistry.class, RedisCacheBackend.class })
@ConditionalOnBooleanProperty(name = "app.cache.observations.enabled", matchIfMissing = true)
public final class CacheKitObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheKitObservations cacheKitObservations(ObservationRegistry registry,
			ObjectProvider<CacheKitObservationConvention> convention, CacheKitProperties properties) {
		return new CacheKitObservations(registry, convention.getIfUnique(),
				properties.getObservations().isIncludeKeys());
	}

	/** Tells each observation the error code of a failure that fail-open mode answered with a miss. */
	@Bean
	ObservationErrorListener cacheKitObservationErrorListener(ObservationRegistry registry) {
		return new ObservationErrorListener(registry);
	}

	@Bean
	@Primary
	@ConditionalOnSingleCandidate(RedisCacheBackend.class)
	@ConditionalOnMissingBean(ObservedCacheBackend.class)
	@SuppressWarnings("unchecked")
	ObservedCacheBackend<Object> cacheKitObservedBackend(RedisCacheBackend<?> backend, CacheKitObservations observations) {
		return observations.decorate((CacheBackend<Object>) backend);
	}

	@Bean
	CacheManagerCustomizer<CacheKitCacheManager> cacheKitObservedCaches(CacheKitObservations observations) {
		return (manager) -> manager.setStoreDecorator(observations::decorate);
	}

	/**
	 * Client resources whose Redis commands are traced, when the application has none (with
	 * Spring Data Redis, Spring Boot's are used, and Boot traces those itself). Created here, so
	 * shut down here, after the backend that uses them (the backend never shuts down client
	 * resources it was given).
	 */
	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "app.cache.observations.redis-commands", matchIfMissing = true)
	ClientResources cacheKitClientResources(ObservationRegistry registry) {
		return CacheKitClientResources.builder().tracing(new MicrometerTracing(registry, "cachekit")).build();
	}

	/**
	 * The meters of CacheKit's observations, recorded by CacheKit's handler: ordered first, it is
	 * the one of Boot's meter handler group (first match wins) that sees them, so Boot's
	 * {@code DefaultMeterObservationHandler} does not record them a second time.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.micrometer.core.instrument.MeterRegistry",
			"io.micrometer.core.instrument.observation.MeterObservationHandler" })
	@ConditionalOnSingleCandidate(MeterRegistry.class)
	static final class Meters {

		/** Boot's property, as {@code MetricsProperties} binds it (not a dependency here). */
		private static final String IGNORED_METERS = "management.metrics.observations.ignored-meters";

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		@ConditionalOnMissingBean
		CacheKitMeterObservationHandler cacheKitMeterObservationHandler(MeterRegistry meterRegistry,
				Environment environment) {
			boolean longTaskTimers = !Binder.get(environment)
				.bind(IGNORED_METERS, Bindable.setOf(IgnoredMeters.class))
				.map((ignored) -> ignored.contains(IgnoredMeters.LONG_TASK_TIMER))
				.orElse(false);
			return new CacheKitMeterObservationHandler(meterRegistry, longTaskTimers);
		}

	}

}
