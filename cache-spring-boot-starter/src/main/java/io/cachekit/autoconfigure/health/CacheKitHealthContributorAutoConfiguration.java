package io.cachekit.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.health.CacheKitHealthIndicator;

/**
 * Adds the {@code cacheKit} health component (disable with
 * {@code management.health.cachekit.enabled=false}).
 */
@AutoConfiguration(after = CacheKitAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnSingleCandidate(RedisCacheBackend.class)
@ConditionalOnEnabledHealthIndicator("cachekit")
public final class CacheKitHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "cacheKitHealthIndicator")
	CacheKitHealthIndicator cacheKitHealthIndicator(RedisCacheBackend<?> backend) {
		return new CacheKitHealthIndicator(backend);
	}

}
