package io.cachekit.autoconfigure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

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

	static Resolved resolve(CacheKitProperties properties, @Nullable DataRedisConnectionDetails details) {
		String configured = properties.getRedisUrl();
		if (configured != null && !configured.isBlank()) {
			return new Resolved(configured.strip(), properties.getRedisOptions().isCluster(), "app.cache.redis-url");
		}
		if (details != null) {
			return fromConnectionDetails(details, properties.getRedisOptions().isCluster());
		}
		return new Resolved(DEFAULT_URL, properties.getRedisOptions().isCluster(), "app.cache.redis-url");
	}

	private static Resolved fromConnectionDetails(DataRedisConnectionDetails details, boolean cluster) {
		String scheme = (details.getSslBundle() != null) ? "rediss" : "redis";
		String userInfo = userInfo(details.getUsername(), details.getPassword());
		if (details.getCluster() != null) {
			return new Resolved(scheme + "://" + userInfo + nodes(details.getCluster().getNodes()), true,
					"spring.data.redis.cluster.nodes");
		}
		if (details.getSentinel() != null) {
			DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			String sentinelScheme = (details.getSslBundle() != null) ? "rediss-sentinel" : "redis-sentinel";
			return new Resolved(sentinelScheme + "://" + userInfo + nodes(sentinel.getNodes()) + "/" + sentinel.getDatabase()
					+ "#" + sentinel.getMaster(), false, "spring.data.redis.sentinel");
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		return new Resolved(scheme + "://" + userInfo + host(standalone.getHost()) + ":" + standalone.getPort() + "/"
				+ standalone.getDatabase(), cluster, "spring.data.redis");
	}

	private static String nodes(List<DataRedisConnectionDetails.Node> nodes) {
		return nodes.stream().map((node) -> host(node.host()) + ":" + node.port()).collect(Collectors.joining(","));
	}

	private static String host(String host) {
		return (host.contains(":") && !host.startsWith("[")) ? "[" + host + "]" : host;
	}

	private static String userInfo(@Nullable String username, @Nullable String password) {
		if (password == null || password.isEmpty()) {
			return (username != null && !username.isEmpty()) ? encode(username) + "@" : "";
		}
		return ((username != null) ? encode(username) : "") + ":" + encode(password) + "@";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
