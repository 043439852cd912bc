package io.cachekit.autoconfigure;

import io.cachekit.redis.RedisCacheBackendBuilder;

/**
 * Customizes the auto-configured backend's builder after {@code app.cache.*} was applied.
 * Customizers run in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface CacheKitBackendCustomizer {

	/**
	 * Adjusts {@code builder}.
	 * @param builder the backend's builder
	 */
	void customize(RedisCacheBackendBuilder<Object> builder);

}
