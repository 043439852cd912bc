package io.cachekit.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.util.function.SingletonSupplier;

import io.cachekit.spring.bulk.BulkCacheable;
import io.cachekit.spring.bulk.BulkCacheableAdvisor;

/**
 * Makes {@link BulkCacheable} methods cached when caching is enabled ({@code @EnableCaching}),
 * whatever the cache manager: CacheKit's caches read and write in batches, any other cache
 * element by element. Registered as infrastructure, as Spring's own cache advisor is, so the
 * proxy creator that {@code @EnableCaching} registers applies it.
 */
@AutoConfiguration(after = { CacheKitCacheAutoConfiguration.class, CacheAutoConfiguration.class })
@ConditionalOnClass({ CacheManager.class, BulkCacheableAdvisor.class })
@ConditionalOnBean(CacheAspectSupport.class)
public final class CacheKitBulkCachingAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static BulkCacheableAdvisor bulkCacheableAdvisor(ObjectProvider<CacheManager> cacheManager) {
		// static and lazy: an advisor is made before the beans it advises, the cache manager among them
		return new BulkCacheableAdvisor(SingletonSupplier.of(cacheManager::getObject));
	}

}
