/**
 * The shipped {@link io.cachekit.core.CacheSerializer}s, reached through
 * {@link io.cachekit.core.serialization.CacheSerializers}.
 */
@NullMarked
package io.cachekit.core.serialization;

import org.jspecify.annotations.NullMarked;
