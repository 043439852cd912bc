/** Auto-configuration of CacheKit's Micrometer metrics. */
@NullMarked
package io.cachekit.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
