package io.cachekit.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;

import io.cachekit.core.CacheSerializer;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCacheConfiguration;
import io.cachekit.spring.CacheKitCacheManager;

/**
 * Auto-configures a {@link CacheKitCacheManager} when caching is enabled
 * ({@code @EnableCaching}), so {@code @Cacheable} and friends use the CacheKit backend. Ordered
 * before Spring Boot's cache auto-configuration, which then backs off.
 */
@AutoConfiguration(after = CacheKitAutoConfiguration.class, before = CacheAutoConfiguration.class)
@ConditionalOnClass({ CacheManager.class, CacheKitCacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnSingleCandidate(RedisCacheBackend.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "app.cache.enabled", matchIfMissing = true)
public final class CacheKitCacheAutoConfiguration {

	@Bean
	CacheKitCacheManager cacheManager(RedisCacheBackend<?> backend, CacheSerializer<Object> cacheKitSerializer,
			CacheKitProperties properties, ObjectProvider<CacheManagerCustomizer<?>> customizers) {
		CacheKitCacheConfiguration defaults = CacheKitCacheConfiguration.defaults()
			.cacheNullValues(properties.isCacheNullValues());
		Map<String, CacheKitCacheConfiguration> caches = new LinkedHashMap<>();
		properties.getCaches().forEach((name, spec) -> {
			CacheKitCacheConfiguration configuration = defaults;
			if (spec.getCacheNullValues() != null) {
				configuration = configuration.cacheNullValues(spec.getCacheNullValues());
			}
			CacheKitCacheConfiguration base = configuration;
			caches.put(name, CacheKitAutoConfiguration.check("app.cache.caches." + name + ".ttl",
					() -> base.entryTtl(spec.getTtl())));
		});
		CacheKitCacheManager cacheManager = new CacheKitCacheManager(backend, cacheKitSerializer, defaults, caches,
				properties.isDynamicCaches());
		cacheManager.setTransactionAware(properties.isTransactionAware());
		return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(cacheManager);
	}

}
