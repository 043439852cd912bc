/**
 * Auto-configuration of CacheKit from {@code app.cache.*}: wiring only; the runtime components
 * live in {@code io.cachekit.spring}.
 */
@NullMarked
package io.cachekit.autoconfigure;

import org.jspecify.annotations.NullMarked;
