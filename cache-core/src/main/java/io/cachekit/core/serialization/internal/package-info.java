/**
 * Internal: not API, may change without notice. Serializer helpers that CacheKit's own modules
 * (the Spring Boot starter, the in-memory test backend) wire configuration with; applications
 * use {@link io.cachekit.core.serialization.CacheSerializers}.
 */
@NullMarked
package io.cachekit.core.serialization.internal;

import org.jspecify.annotations.NullMarked;
