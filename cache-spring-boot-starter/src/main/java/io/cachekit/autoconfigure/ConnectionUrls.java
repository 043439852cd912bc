package io.cachekit.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Where the backend connects: {@code app.cache.redis-url} when set, else the connection Spring
 * Boot derived ({@code spring.data.redis.*}, Testcontainers {@code @ServiceConnection}, Docker
 * Compose), else {@code redis://localhost:6379/0}.
 */
final class ConnectionUrls {

	static final String DEFAULT_URL = "redis://localhost:6379/0";

	private ConnectionUrls() {
	}

	/** The URL to use and the property a person would fix when it is wrong. */
	record Resolved(String url, boolean cluster, String property) {
	}

	static Resolved resolve(CacheKitProperties properties, @Nullable Resolved fromSpringDataRedis) {
		String configured = properties.getRedisUrl();
		if (configured != null && !configured.isBlank()) {
			return new Resolved(configured.strip(), properties.getRedisOptions().isCluster(), "app.cache.redis-url");
		}
		if (fromSpringDataRedis != null) {
			return fromSpringDataRedis;
		}
		return new Resolved(DEFAULT_URL, properties.getRedisOptions().isCluster(), "app.cache.redis-url");
	}

}
