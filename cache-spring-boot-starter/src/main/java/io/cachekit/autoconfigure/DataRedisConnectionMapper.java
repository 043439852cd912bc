package io.cachekit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

import io.cachekit.redis.RedisConnection;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;

/**
 * Maps Spring Boot's {@link DataRedisConnectionDetails} to a {@link RedisConnection} of Lettuce
 * {@link RedisURI}s, field by field (host, port, user name, password, database, SSL bundle,
 * Sentinel nodes, master and credentials, cluster nodes): no URL is written and parsed back, so
 * no character of a password needs encoding. Only loaded when {@code spring-boot-data-redis} is
 * on the classpath.
 */
final class DataRedisConnectionMapper {

	private DataRedisConnectionMapper() {
	}

	/**
	 * @param cluster whether a standalone host is the seed of a cluster
	 *     ({@code app.cache.redis-options.cluster})
	 * @param source what a person would fix when the connection is wrong: {@code spring.data.redis}
	 *     for Boot's property-based details, the bean otherwise
	 * @throws InvalidCacheKitConfigurationException for static master/replica details, which
	 *     CacheKit does not support, and for details without a host
	 */
	static Connections.Resolved toConnection(DataRedisConnectionDetails details, boolean cluster, String source) {
		boolean fromProperties = source.equals("spring.data.redis");
		if (details.getMasterReplica() != null) {
			throw new InvalidCacheKitConfigurationException(fromProperties ? "spring.data.redis.masterreplica.nodes" : source,
					"CacheKit does not support static master/replica connections; connect it to the master with"
							+ " app.cache.redis-url, or use Redis Sentinel or a Redis Cluster");
		}
		SslBundle bundle = details.getSslBundle();
		Connections.Resolved plain = plain(details, cluster, source, fromProperties);
		return (bundle != null) ? plain.with(plain.connection().withSsl(Connections.sslOptions(bundle))) : plain;
	}

	private static Connections.Resolved plain(DataRedisConnectionDetails details, boolean cluster, String source,
			boolean fromProperties) {
		if (details.getCluster() != null) {
			List<RedisURI> seeds = new ArrayList<>();
			for (DataRedisConnectionDetails.Node node : details.getCluster().getNodes()) {
				seeds.add(authenticated(RedisURI.builder().withHost(node.host()).withPort(node.port()), details).build());
			}
			return new Connections.Resolved(RedisConnection.cluster(seeds),
					fromProperties ? "spring.data.redis.cluster.nodes" : source);
		}
		if (details.getSentinel() != null) {
			DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
			List<DataRedisConnectionDetails.Node> nodes = sentinel.getNodes();
			String property = fromProperties ? "spring.data.redis.sentinel" : source;
			if (nodes.isEmpty()) {
				throw new InvalidCacheKitConfigurationException(fromProperties ? "spring.data.redis.sentinel.nodes" : source,
						"a Sentinel connection needs at least one Sentinel node");
			}
			RedisURI.Builder builder = RedisURI.Builder.sentinel(nodes.get(0).host(), nodes.get(0).port(),
					sentinel.getMaster());
			for (DataRedisConnectionDetails.Node node : nodes.subList(1, nodes.size())) {
				builder.withSentinel(node.host(), node.port());
			}
			RedisConnection connection = RedisConnection
				.of(authenticated(builder.withDatabase(sentinel.getDatabase()), details).build());
			String sentinelPassword = sentinel.getPassword();
			if (sentinelPassword != null && !sentinelPassword.isEmpty()) {
				connection = connection.withSentinelCredentials(sentinel.getUsername(), sentinelPassword);
			}
			return new Connections.Resolved(connection, property);
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		if (standalone.getHost() == null || standalone.getHost().isEmpty()) {
			// java.net.URI, which Spring Boot parses spring.data.redis.url with, found no host: an
			// unencoded '#', '/', '?' or second '@' in the password ends its authority early
			throw new InvalidCacheKitConfigurationException("spring.data.redis.url", "Spring Boot found no host in it. "
					+ "If its user name or password holds '#', '/', '?' or '@', percent-encode them "
					+ "(%23, %2F, %3F, %40)");
		}
		RedisURI uri = authenticated(RedisURI.builder()
			.withHost(standalone.getHost())
			.withPort(standalone.getPort())
			.withDatabase(standalone.getDatabase()), details).build();
		return new Connections.Resolved(RedisConnection.of(uri).asCluster(cluster), source);
	}

	/**
	 * The data nodes' credentials: a password with or without an ACL user (a user alone: none),
	 * as static credentials, which the connection can show masked ({@code user:****@}).
	 */
	private static RedisURI.Builder authenticated(RedisURI.Builder builder, DataRedisConnectionDetails details) {
		@Nullable String username = details.getUsername();
		@Nullable String password = details.getPassword();
		if (password != null && !password.isEmpty()) {
			return builder.withAuthentication(new StaticCredentialsProvider(
					(username != null && !username.isEmpty()) ? username : null, password.toCharArray()));
		}
		return builder;
	}

}
