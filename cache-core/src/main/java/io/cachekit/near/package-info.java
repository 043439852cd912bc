/**
 * The near cache: a bounded in-process L1 ({@link io.cachekit.near.NearCache}) in front of Redis,
 * as a {@link io.cachekit.core.layer.CacheLayer} over the Redis engine, kept correct by Redis'
 * server-assisted client-side caching (RESP3 {@code CLIENT TRACKING}).
 */
@NullMarked
package io.cachekit.near;

import org.jspecify.annotations.NullMarked;
