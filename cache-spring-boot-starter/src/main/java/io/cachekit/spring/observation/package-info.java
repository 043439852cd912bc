/**
 * Micrometer Observation for CacheKit operations: a {@code CacheBackend} decorator that opens one
 * observation per operation (so Redis command spans from Lettuce's tracing nest under it), its
 * context, naming convention and documentation.
 */
@NullMarked
package io.cachekit.spring.observation;

import org.jspecify.annotations.NullMarked;
