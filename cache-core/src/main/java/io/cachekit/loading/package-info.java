/**
 * Load-through with stampede protection, as a {@link io.cachekit.core.layer.CacheLayer}:
 * {@link io.cachekit.loading.LoadingLayer} gives a backend a {@code getOrLoad} that runs one load
 * per key at a time in a JVM and, under a lease in Redis, across JVMs, with optional XFetch early
 * refresh, serving stale values on loader failure, TTL jitter and time-to-idle. The engine
 * supports it with the {@link io.cachekit.loading.Leases} and {@link io.cachekit.loading.EntryStore}
 * services; without them (another engine) loads are coalesced per JVM only.
 */
@NullMarked
package io.cachekit.loading;

import org.jspecify.annotations.NullMarked;
