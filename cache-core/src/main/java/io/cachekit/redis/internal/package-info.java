/**
 * Internal: the Redis engine behind {@link io.cachekit.redis.RedisCacheBackend} (operations,
 * command runner, value codec, connection, reply proof, circuit breakers). Not API: public types
 * here are public for CacheKit's own modules and may change in any release without notice.
 */
@NullMarked
package io.cachekit.redis.internal;

import org.jspecify.annotations.NullMarked;
