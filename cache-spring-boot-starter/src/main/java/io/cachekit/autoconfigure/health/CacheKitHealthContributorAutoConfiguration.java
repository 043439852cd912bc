package io.cachekit.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitProperties;
import io.cachekit.core.CacheBackend;
import io.cachekit.near.NearCacheStats;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.health.CacheKitHealthIndicator;
import io.cachekit.spring.observation.ObservedCacheBackend;

/**
 * Adds the {@code cacheKit} health component (disable with
 * {@code management.health.cachekit.enabled=false}) for every {@link CacheBackend} bean, ours or
 * the application's: one backend is the component itself, several are its children, by bean
 * name. A backend's component also shows the near caches of the bridge caches in it that have
 * their own.
 */
@AutoConfiguration(after = CacheKitAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(CacheBackend.class)
@ConditionalOnEnabledHealthIndicator("cachekit")
@SuppressWarnings("rawtypes")
public final class CacheKitHealthContributorAutoConfiguration
		extends CompositeHealthContributorConfiguration<CacheKitHealthIndicator, CacheBackend> {

	CacheKitHealthContributorAutoConfiguration(ObjectProvider<CacheKitProperties> properties,
			ObjectProvider<CacheKitCacheManager> cacheManagers) {
		// a backend other than RedisCacheBackend does not say its failure mode: app.cache.failure-mode does
		super((backend) -> new CacheKitHealthIndicator(backend,
				properties.getIfAvailable(CacheKitProperties::new).getFailureMode(),
				() -> cacheNearCaches(cacheManagers, backend), () -> cacheVersions(cacheManagers, backend)));
	}

	/** The versions of the bridge caches in {@code backend} that have one, by cache name. */
	private static Map<String, String> cacheVersions(ObjectProvider<CacheKitCacheManager> cacheManagers,
			CacheBackend<?> backend) {
		Map<String, String> versions = new LinkedHashMap<>();
		cacheManagers.orderedStream()
			.filter((manager) -> manager.getBackend() == backend)
			.forEach((manager) -> manager.getCacheVersions().forEach(versions::putIfAbsent));
		return versions;
	}

	/** The near caches of the bridge caches in {@code backend} that have their own, by cache name. */
	private static Map<String, NearCacheStats> cacheNearCaches(ObjectProvider<CacheKitCacheManager> cacheManagers,
			CacheBackend<?> backend) {
		Map<String, NearCacheStats> stats = new LinkedHashMap<>();
		cacheManagers.orderedStream()
			.filter((manager) -> manager.getBackend() == backend)
			.forEach((manager) -> manager.getNearCacheLayers()
				.forEach((name, layer) -> stats.putIfAbsent(name, layer.stats())));
		return stats;
	}

	@Bean
	@ConditionalOnMissingBean(name = { "cacheKitHealthIndicator", "cacheKitHealthContributor" })
	HealthContributor cacheKitHealthContributor(ConfigurableListableBeanFactory beanFactory) {
		Map<String, CacheBackend> backends = new LinkedHashMap<>(beanFactory.getBeansOfType(CacheBackend.class, true, false));
		// the observed face of a backend is the same backend: one health component, not two
		backends.values().removeIf(ObservedCacheBackend.class::isInstance);
		return createContributor(backends);
	}

}
