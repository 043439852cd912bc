package io.cachekit.autoconfigure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Turns Spring Boot's {@link DataRedisConnectionDetails} into a Redis URL. Only loaded when
 * {@code spring-boot-data-redis} is on the classpath.
 */
final class DataRedisConnectionUrls {

	private DataRedisConnectionUrls() {
	}

	static ConnectionUrls.Resolved toUrl(DataRedisConnectionDetails details, boolean cluster) {
		ConnectionUrls.Resolved plain = toPlainUrl(details, cluster);
		SslBundle bundle = details.getSslBundle();
		return (bundle != null) ? plain.withSsl(bundle) : plain;
	}

	private static ConnectionUrls.Resolved toPlainUrl(DataRedisConnectionDetails details, boolean cluster) {
		String scheme = "redis";
		String userInfo = userInfo(details.getUsername(), details.getPassword());
		if (details.getCluster() != null) {
			return new ConnectionUrls.Resolved(scheme + "://" + userInfo + nodes(details.getCluster().getNodes()), true,
					"spring.data.redis.cluster.nodes");
		}
		if (details.getSentinel() != null) {
			DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			ConnectionUrls.Resolved resolved = new ConnectionUrls.Resolved("redis-sentinel://" + userInfo
					+ nodes(sentinel.getNodes()) + "/" + sentinel.getDatabase() + "#" + sentinel.getMaster(), false,
					"spring.data.redis.sentinel");
			String sentinelPassword = sentinel.getPassword();
			return (sentinelPassword != null && !sentinelPassword.isEmpty())
					? resolved.withSentinelCredentials(sentinel.getUsername(), sentinelPassword) : resolved;
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		if (standalone.getHost() == null || standalone.getHost().isEmpty()) {
			// java.net.URI, which Spring Boot parses spring.data.redis.url with, found no host: an
			// unencoded '#', '/', '?' or second '@' in the password ends its authority early
			throw new InvalidCacheKitConfigurationException("spring.data.redis.url", "Spring Boot found no host in it. "
					+ "If its user name or password holds '#', '/', '?' or '@', percent-encode them "
					+ "(%23, %2F, %3F, %40)");
		}
		return new ConnectionUrls.Resolved(scheme + "://" + userInfo + host(standalone.getHost()) + ":"
				+ standalone.getPort() + "/" + standalone.getDatabase(), cluster, "spring.data.redis");
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
