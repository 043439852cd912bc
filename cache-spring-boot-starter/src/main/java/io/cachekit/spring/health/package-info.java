/** Health reporting for CacheKit backends (needs Spring Boot's health module). */
@NullMarked
package io.cachekit.spring.health;

import org.jspecify.annotations.NullMarked;
