package io.cachekit.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.CacheTagsAdvisor;
import io.cachekit.spring.CacheTagsInterceptor;

/**
 * Auto-configures {@code @CacheTags} and {@code @EvictTags} beside Spring's cache annotations
 * when CacheKit's cache manager is in use: an infrastructure advisor, so that the proxies
 * {@code @EnableCaching} makes apply it too. {@code @EvictTags} invalidates through the cache
 * manager's backend.
 */
@AutoConfiguration(after = CacheKitCacheAutoConfiguration.class)
@ConditionalOnClass({ CacheKitCacheManager.class, org.springframework.aop.Advisor.class })
@ConditionalOnBean(CacheKitCacheManager.class)
public final class CacheKitTagsAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static CacheTagsAdvisor cacheKitTagsAdvisor(ObjectProvider<CacheKitCacheManager> cacheManager,
			BeanFactory beanFactory) {
		// the manager is asked on first use: an advisor is made before the beans it advises
		return new CacheTagsAdvisor(new CacheTagsInterceptor(() -> cacheManager.getObject().getBackend(), beanFactory));
	}

}
