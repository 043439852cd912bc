/**
 * The cache contract: {@link io.cachekit.core.CacheBackend} and its asynchronous face
 * {@link io.cachekit.core.AsyncCacheBackend}, the {@link io.cachekit.core.CacheSerializer}
 * strategy, and the failure vocabulary ({@link io.cachekit.core.FailureMode},
 * {@link io.cachekit.core.CacheException}, {@link io.cachekit.core.ErrorCode}).
 */
@NullMarked
package io.cachekit.core;

import org.jspecify.annotations.NullMarked;
