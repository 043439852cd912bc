/** Auto-configuration of the CacheKit health indicator. */
@NullMarked
package io.cachekit.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
