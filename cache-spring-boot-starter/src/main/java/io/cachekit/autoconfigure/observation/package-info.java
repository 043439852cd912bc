/** Wiring of Micrometer Observation for CacheKit operations and Lettuce command tracing. */
@NullMarked
package io.cachekit.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
