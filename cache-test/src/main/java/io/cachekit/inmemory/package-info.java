/**
 * An in-memory CacheKit backend for application tests:
 * {@link io.cachekit.inmemory.InMemoryCacheBackend} (the {@code CacheBackend} contract without a
 * Redis server: an in-memory engine at the bottom of a stack of {@code io.cachekit.core.layer}
 * levels, as the Redis engine is) and its {@link io.cachekit.inmemory.InMemoryCacheBackendBuilder},
 * the {@link io.cachekit.inmemory.InMemoryStore} it keeps entries in, and a
 * {@link io.cachekit.inmemory.ManualClock} to expire them without sleeping.
 */
@NullMarked
package io.cachekit.inmemory;

import org.jspecify.annotations.NullMarked;
