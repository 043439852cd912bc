/**
 * The Spring bridge: {@link io.cachekit.spring.CacheKitCacheManager} puts Spring's cache
 * abstraction ({@code @Cacheable}, {@code @CachePut}, {@code @CacheEvict}) on a
 * {@link io.cachekit.redis.RedisCacheBackend}, and {@link io.cachekit.spring.CacheKitLifecycle}
 * ties backends to the application context.
 */
@NullMarked
package io.cachekit.spring;

import org.jspecify.annotations.NullMarked;
