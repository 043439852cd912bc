/**
 * Spring Boot wiring of the in-memory backend for application tests
 * ({@code app.cache.in-memory=true}).
 */
@NullMarked
package io.cachekit.inmemory.autoconfigure;

import org.jspecify.annotations.NullMarked;
