package io.cachekit.autoconfigure.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.context.annotation.Bean;

import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCache;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.metrics.CacheKitCacheMeterBinder;
import io.cachekit.spring.metrics.MicrometerOperationListener;
import io.cachekit.spring.metrics.NearCacheMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Metrics: the bridge caches under Spring Boot's standard {@code cache.*} names (including caches
 * created after start-up; see {@link CacheKitCacheMeterBinder} for {@code result=near-hit}), near
 * caches as {@code cachekit.near.*} ({@code cache=*} for the backend's, the cache name for a
 * cache's own), and backend operations as {@code cachekit.operations} and {@code cachekit.errors}.
 */
// By name: spring-boot-micrometer-metrics is optional, and missing class literals here would be logged at every start.
@AutoConfiguration(after = CacheKitCacheAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" },
		before = CacheMetricsAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, CacheMeterBinderProvider.class, CacheKitCache.class })
@ConditionalOnBean(MeterRegistry.class)
public final class CacheKitMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerOperationListener cacheKitOperationListener(MeterRegistry registry) {
		return new MicrometerOperationListener(registry);
	}

	@Bean
	CacheMeterBinderProvider<CacheKitCache> cacheKitCacheMeterBinderProvider() {
		return CacheKitCacheMeterBinder::new;
	}

	@Bean
	SmartInitializingSingleton cacheKitNearCacheMetrics(ObjectProvider<RedisCacheBackend<?>> backends,
			ObjectProvider<CacheKitCacheManager> cacheManagers, ObjectProvider<MeterRegistry> registries) {
		return () -> registries.ifAvailable((registry) -> {
			backends.orderedStream().forEach((backend) -> backend.getLayers().forEach((layer) -> {
				if (layer instanceof NearCacheLayer near) {
					new NearCacheMeterBinder(near.stats(), Tags.of("cache", "*")).bindTo(registry);
				}
			}));
			cacheManagers.orderedStream().forEach((manager) -> {
				Set<String> bound = ConcurrentHashMap.newKeySet();
				Runnable bindNew = () -> manager.getNearCacheLayers().forEach((name, near) -> {
					if (bound.add(name)) {
						new NearCacheMeterBinder(near.stats(), Tags.of("cache", name)).bindTo(registry);
					}
				});
				bindNew.run();
				manager.onCacheCreated((cache) -> bindNew.run());
			});
		});
	}

	@Bean
	SmartInitializingSingleton cacheKitDynamicCacheMetrics(ObjectProvider<CacheKitCacheManager> cacheManagers,
			ObjectProvider<CacheMetricsRegistrar> registrar) {
		// Boot binds the caches that exist at start-up; caches created on first use are bound here.
		return () -> cacheManagers.orderedStream()
			.forEach((manager) -> manager.onCacheCreated((cache) -> registrar.ifAvailable(
					(r) -> r.bindCacheToRegistry(cache, Tag.of("cache.manager", "cacheManager")))));
	}

}
