/**
 * Bulk caching on Spring's cache abstraction: {@link io.cachekit.spring.bulk.BulkCacheable} caches
 * a method that takes a collection of ids per element, in the same entries {@code @Cacheable}
 * reads and writes, with one read for all elements and one call of the method for the missing
 * ones. The starter auto-configures its advisor when caching is enabled.
 */
@NullMarked
package io.cachekit.spring.bulk;

import org.jspecify.annotations.NullMarked;
