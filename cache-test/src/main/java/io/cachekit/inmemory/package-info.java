/**
 * An in-memory CacheKit backend for application tests:
 * {@link io.cachekit.inmemory.InMemoryCacheBackend} (the {@code CacheBackend} contract without a
 * Redis server), the {@link io.cachekit.inmemory.InMemoryStore} it keeps entries in, and a
 * {@link io.cachekit.inmemory.ManualClock} to expire them without sleeping.
 */
@NullMarked
package io.cachekit.inmemory;

import org.jspecify.annotations.NullMarked;
