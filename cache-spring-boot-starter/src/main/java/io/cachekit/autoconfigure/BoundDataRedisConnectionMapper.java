package io.cachekit.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundles;

import io.cachekit.redis.RedisConnection;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;

/**
 * Maps {@code spring.data.redis.*} as {@link BoundDataRedisProperties} read it to a
 * {@link RedisConnection} of Lettuce {@link RedisURI}s, the way Spring Boot's own connection
 * details read the same properties: Sentinel when a master or nodes are set, else a cluster when
 * nodes are set, else one server from {@code url} (which wins over host, port, database and
 * credentials, as in Boot) or from {@code host}/{@code port}/{@code database}. Properties that
 * would send CacheKit somewhere else than Boot would are refused, naming them.
 */
final class BoundDataRedisConnectionMapper {

	/** Set, these change where Boot connects; CacheKit cannot do the same. */
	private static final Set<String> REFUSED = Set.of("spring.data.redis.masterreplica.nodes",
			"spring.data.redis.lettuce.read-from");

	private BoundDataRedisConnectionMapper() {
	}

	/**
	 * @param cluster whether a standalone host is the seed of a cluster ({@code app.cache.redis-options.cluster})
	 * @throws InvalidCacheKitConfigurationException naming a property that cannot be honoured or is invalid
	 */
	static Connections.Resolved toConnection(BoundDataRedisProperties properties, boolean cluster,
			@Nullable SslBundles bundles) {
		for (String name : properties.setNames()) {
			if (REFUSED.contains(name)) {
				throw new InvalidCacheKitConfigurationException(name, "CacheKit cannot honour it without a connection of "
						+ "its own: it connects to one server, a Sentinel master or a cluster. Remove it, or set "
						+ "app.cache.redis-url to where CacheKit should connect");
			}
		}
		Connections.Resolved plain = plain(properties, cluster);
		if (!properties.ssl()) {
			return plain;
		}
		String bundle = properties.sslBundle();
		if (bundle == null || bundle.isBlank()) {
			return plain; // TLS with the JVM's trust store: the URIs say so (withSsl)
		}
		if (bundles == null) {
			throw new InvalidCacheKitConfigurationException("spring.data.redis.ssl.bundle",
					"SSL bundle '" + bundle + "' was asked for, but the application has no SslBundles (spring.ssl.bundle.*)");
		}
		try {
			return plain.with(plain.connection().withSsl(Connections.sslOptions(bundles.getBundle(bundle.strip()))));
		}
		catch (org.springframework.boot.ssl.NoSuchSslBundleException ex) {
			throw new InvalidCacheKitConfigurationException("spring.data.redis.ssl.bundle",
					"no SSL bundle named '" + bundle.strip() + "' (configure it under spring.ssl.bundle.*)");
		}
	}

	private static Connections.Resolved plain(BoundDataRedisProperties properties, boolean cluster) {
		if (properties.sentinelMaster() != null || !properties.sentinelNodes().isEmpty()) {
			return sentinel(properties);
		}
		if (!properties.clusterNodes().isEmpty()) {
			List<RedisURI> seeds = new ArrayList<>();
			for (String node : properties.clusterNodes()) {
				seeds.add(data(node(node, "spring.data.redis.cluster.nodes"), properties, null, null).build());
			}
			return new Connections.Resolved(RedisConnection.cluster(seeds), "spring.data.redis.cluster.nodes");
		}
		if (properties.url() != null && !properties.url().isBlank()) {
			return fromUrl(properties, cluster);
		}
		RedisURI uri = data(RedisURI.builder().withHost(properties.host()).withPort(properties.port()), properties, null, null)
			.withDatabase(properties.database())
			.build();
		return new Connections.Resolved(RedisConnection.of(uri).asCluster(cluster), "spring.data.redis");
	}

	private static Connections.Resolved sentinel(BoundDataRedisProperties properties) {
		String master = properties.sentinelMaster();
		if (master == null || master.isBlank()) {
			throw new InvalidCacheKitConfigurationException("spring.data.redis.sentinel.master",
					"a Sentinel connection needs the master's name");
		}
		if (properties.sentinelNodes().isEmpty()) {
			throw new InvalidCacheKitConfigurationException("spring.data.redis.sentinel.nodes",
					"a Sentinel connection needs at least one Sentinel node");
		}
		List<RedisURI.Builder> nodes = new ArrayList<>();
		for (String node : properties.sentinelNodes()) {
			nodes.add(node(node, "spring.data.redis.sentinel.nodes"));
		}
		RedisURI first = nodes.get(0).build();
		RedisURI.Builder builder = RedisURI.Builder.sentinel(first.getHost(), first.getPort(), master.strip());
		for (RedisURI.Builder node : nodes.subList(1, nodes.size())) {
			RedisURI sentinelNode = node.build();
			builder.withSentinel(sentinelNode.getHost(), sentinelNode.getPort());
		}
		RedisConnection connection = RedisConnection
			.of(data(builder, properties, null, null).withDatabase(properties.database()).build());
		String sentinelPassword = properties.sentinelPassword();
		if (sentinelPassword != null && !sentinelPassword.isEmpty()) {
			connection = connection.withSentinelCredentials(properties.sentinelUsername(), sentinelPassword);
		}
		return new Connections.Resolved(connection, "spring.data.redis.sentinel");
	}

	/** As Boot reads the URL: {@link URI}, {@code redis} or {@code rediss}, user-info decoded, the database from the path. */
	private static Connections.Resolved fromUrl(BoundDataRedisProperties properties, boolean cluster) {
		String property = "spring.data.redis.url";
		String url = properties.url().strip();
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new InvalidCacheKitConfigurationException(property,
					"'" + RedisConnection.mask(url) + "' is not a valid URL (" + ex.getReason() + "). Percent-encode '#', '/', "
							+ "'?', '@', '%' and spaces in its user name and password (%23, %2F, %3F, %40, %25, %20)");
		}
		if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
			throw new InvalidCacheKitConfigurationException(property,
					"'" + RedisConnection.mask(url) + "' is not a redis:// or rediss:// URL");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new InvalidCacheKitConfigurationException(property, "'" + RedisConnection.mask(url) + "' names no host. "
					+ "If its user name or password holds '#', '/', '?' or '@', percent-encode them (%23, %2F, %3F, %40)");
		}
		String username = null;
		String password = null;
		String userInfo = uri.getUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			username = (colon >= 0) ? userInfo.substring(0, colon) : null;
			password = (colon >= 0) ? userInfo.substring(colon + 1) : userInfo;
		}
		int database = 0;
		String path = uri.getPath();
		if (path != null && path.length() > 1) {
			try {
				database = Integer.parseInt(path.substring(1).split("/", 2)[0]);
			}
			catch (NumberFormatException ex) {
				throw new InvalidCacheKitConfigurationException(property,
						"'" + RedisConnection.mask(url) + "': its path is not a database number");
			}
		}
		RedisURI.Builder builder = RedisURI.builder()
			.withHost(uri.getHost())
			.withPort((uri.getPort() > 0) ? uri.getPort() : RedisURI.DEFAULT_REDIS_PORT)
			.withDatabase(database);
		RedisURI redisUri = data(builder, properties, username, password).build();
		return new Connections.Resolved(RedisConnection.of(redisUri).asCluster(cluster), property);
	}

	/** {@code host:port} of {@code property}, as Boot reads it (IPv6 in brackets, or the last colon). */
	private static RedisURI.Builder node(String node, String property) {
		String value = node.strip();
		int colon = value.lastIndexOf(':');
		if (colon <= 0 || colon == value.length() - 1) {
			throw new InvalidCacheKitConfigurationException(property, "'" + value + "' is not host:port");
		}
		String host = value.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			return RedisURI.builder().withHost(host).withPort(Integer.parseInt(value.substring(colon + 1)));
		}
		catch (NumberFormatException ex) {
			throw new InvalidCacheKitConfigurationException(property, "'" + value + "': the port is not a number");
		}
	}

	/**
	 * The data nodes' settings: credentials (the URL's when it has user-info, else
	 * {@code username}/{@code password}; a user alone: none), client name and TLS.
	 */
	private static RedisURI.Builder data(RedisURI.Builder builder, BoundDataRedisProperties properties,
			@Nullable String urlUsername, @Nullable String urlPassword) {
		String username = (urlPassword != null) ? urlUsername : properties.username();
		String password = (urlPassword != null) ? urlPassword : properties.password();
		if (password != null && !password.isEmpty()) {
			builder.withAuthentication(new StaticCredentialsProvider(
					(username != null && !username.isEmpty()) ? username : null, password.toCharArray()));
		}
		if (properties.clientName() != null && !properties.clientName().isBlank()) {
			builder.withClientName(properties.clientName());
		}
		return builder.withSsl(properties.ssl());
	}

}
