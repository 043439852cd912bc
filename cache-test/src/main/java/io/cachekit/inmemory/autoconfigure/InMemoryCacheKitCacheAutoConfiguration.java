package io.cachekit.inmemory.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;

import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitProperties;
import io.cachekit.core.CacheSerializer;
import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.spring.CacheKitCacheConfiguration;
import io.cachekit.spring.CacheKitCacheManager;

/**
 * With caching enabled ({@code @EnableCaching}) and an {@link InMemoryCacheBackend} as the
 * application's backend (from {@code app.cache.in-memory=true}, or a bean of its own),
 * {@code @Cacheable} and friends use it through a {@link CacheKitCacheManager}: the starter's
 * bridge, with the per-cache settings of {@code app.cache.caches.*}, over the in-memory store. As
 * the starter's bridge, it backs off for a {@code spring.cache.type} other than {@code redis}
 * (so {@code @AutoConfigureCache} gets Spring Boot's no-op caching) and for a
 * {@code CacheManager} of the application's own.
 *
 * <p>Its mapping of {@code app.cache.*} to the caches' settings repeats the starter's
 * {@code CacheKitCacheAutoConfiguration}, whose bridge gives views with the null marker's
 * serializer only to a {@code RedisCacheBackend}; once it gives them to any backend offering
 * serializer views, this class can go.
 */
@AutoConfiguration(after = InMemoryCacheKitAutoConfiguration.class,
		before = { CacheKitCacheAutoConfiguration.class, CacheAutoConfiguration.class })
@ConditionalOnClass({ CacheManager.class, CacheKitCacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnSingleCandidate(InMemoryCacheBackend.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnProperty(name = "spring.cache.type", havingValue = "redis", matchIfMissing = true)
@EnableConfigurationProperties(CacheKitProperties.class)
public final class InMemoryCacheKitCacheAutoConfiguration {

	@Bean
	CacheKitCacheManager cacheManager(InMemoryCacheBackend<?> backend, CacheSerializer<Object> cacheKitSerializer,
			CacheKitProperties properties, ObjectProvider<CacheManagerCustomizer<?>> customizers) {
		CacheKitCacheConfiguration defaults = CacheKitCacheConfiguration.defaults()
			.cacheNullValues(properties.isCacheNullValues());
		Map<String, CacheKitCacheConfiguration> caches = new LinkedHashMap<>();
		properties.getCaches().forEach((name, spec) -> {
			CacheKitCacheConfiguration configuration = defaults;
			if (spec.getCacheNullValues() != null) {
				configuration = configuration.cacheNullValues(spec.getCacheNullValues());
			}
			caches.put(name, configuration.entryTtl(spec.getTtl()));
		});
		CacheKitCacheManager cacheManager = new CacheKitCacheManager(backend::withSerializer,
				backend.getFailureMode(), cacheKitSerializer, defaults, caches, properties.isDynamicCaches());
		cacheManager.setTransactionAware(properties.isTransactionAware());
		return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(cacheManager);
	}

}
