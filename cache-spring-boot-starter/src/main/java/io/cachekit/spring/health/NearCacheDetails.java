package io.cachekit.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.cachekit.near.FlushCause;
import io.cachekit.near.NearCacheStats;

/** A near cache's counters as health details: numbers only, nothing that names a server. */
final class NearCacheDetails {

	private NearCacheDetails() {
	}

	/** {@code size}, {@code hits}, {@code misses}, {@code invalidations}, {@code evictions} and {@code flushes} by cause. */
	static Map<String, Object> of(NearCacheStats stats) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("size", stats.size());
		details.put("hits", stats.hits());
		details.put("misses", stats.misses());
		details.put("invalidations", stats.invalidations());
		details.put("evictions", stats.evictions());
		Map<String, Long> flushes = new LinkedHashMap<>();
		for (FlushCause cause : FlushCause.values()) {
			flushes.put(cause.name(), stats.flushes(cause));
		}
		details.put("flushes", flushes);
		return details;
	}

}
