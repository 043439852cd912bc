/**
 * The seam a backend is assembled on: a stack of {@link io.cachekit.core.layer.CacheLevel}s,
 * an engine (Redis, or the in-memory one for tests) at the bottom and
 * {@link io.cachekit.core.layer.CacheLayer}s over it, each speaking the cache contract, and
 * {@link io.cachekit.core.layer.AwaitingCacheBackend}, the blocking face of any level. A service
 * provider interface: applications use {@code CacheBackend}; this package is for the layers
 * CacheKit ships and for layers of one's own.
 */
@NullMarked
package io.cachekit.core.layer;

import org.jspecify.annotations.NullMarked;
