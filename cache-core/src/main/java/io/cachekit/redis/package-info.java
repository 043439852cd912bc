/**
 * {@link io.cachekit.redis.RedisCacheBackend}: the cache contract on Redis through Lettuce,
 * for a single server, Sentinel, or a Redis Cluster.
 */
@NullMarked
package io.cachekit.redis;

import org.jspecify.annotations.NullMarked;
