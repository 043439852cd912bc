/** Micrometer metrics for CacheKit caches and backends. */
@NullMarked
package io.cachekit.spring.metrics;

import org.jspecify.annotations.NullMarked;
