package io.cachekit.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import io.cachekit.redis.internal.RedisUrls;
import io.lettuce.core.SslOptions;

/**
 * Where the backend connects: a service connection (Testcontainers {@code @ServiceConnection},
 * Docker Compose, an application's own {@code DataRedisConnectionDetails} bean) when there is
 * one, else {@code app.cache.redis-url} when set, else the connection Spring Boot derives from
 * {@code spring.data.redis.*}, else {@code redis://localhost:6379/0}; over TLS with an SSL
 * bundle when one is configured.
 */
final class ConnectionUrls {

	static final String DEFAULT_URL = "redis://localhost:6379/0";

	private ConnectionUrls() {
	}

	/**
	 * The URL to use, the property a person would fix when it is wrong, and what came with
	 * Spring Boot's connection details besides the URL: an SSL bundle, the Sentinel nodes'
	 * own credentials.
	 */
	record Resolved(String url, boolean cluster, String property, @Nullable SslBundle sslBundle,
			@Nullable String sentinelUsername, @Nullable String sentinelPassword) {

		Resolved(String url, boolean cluster, String property) {
			this(url, cluster, property, null, null, null);
		}

		/** The same connection, its Sentinel nodes authenticated with these credentials. */
		Resolved withSentinelCredentials(@Nullable String username, @Nullable String password) {
			return new Resolved(this.url, this.cluster, this.property, this.sslBundle, username, password);
		}

		/** Never the credentials: the URL masked, the Sentinel password left out. */
		@Override
		public String toString() {
			return "Resolved[" + RedisUrls.mask(this.url) + ", cluster=" + this.cluster + ", from " + this.property
					+ ((this.sslBundle != null) ? ", TLS from an SSL bundle" : "")
					+ ((this.sentinelPassword != null) ? ", sentinel password ****" : "") + "]";
		}

		/** The same connection over TLS with {@code bundle}: {@code redis} schemes become {@code rediss}. */
		Resolved withSsl(SslBundle bundle) {
			String tlsUrl = this.url;
			if (tlsUrl.regionMatches(true, 0, "redis://", 0, 8)) {
				tlsUrl = "rediss://" + tlsUrl.substring(8);
			}
			else if (tlsUrl.regionMatches(true, 0, "redis-sentinel://", 0, 17)) {
				tlsUrl = "rediss-sentinel://" + tlsUrl.substring(17);
			}
			return new Resolved(tlsUrl, this.cluster, this.property, bundle, this.sentinelUsername, this.sentinelPassword);
		}

	}

	/**
	 * The connections Spring Boot's {@code DataRedisConnectionDetails} beans describe, converted
	 * only when used: one contributed by a service connection ({@code @ServiceConnection}, Docker
	 * Compose, or any bean of the application's), and the one Boot derives from
	 * {@code spring.data.redis.*}.
	 */
	record DataRedisConnections(@Nullable Supplier<Resolved> serviceConnection,
			@Nullable Supplier<Resolved> properties) {
	}

	/**
	 * The Spring Boot way: a service connection wins, then {@code app.cache.redis-url}, then
	 * {@code spring.data.redis.*}, then {@code redis://localhost:6379/0}.
	 */
	static Resolved resolve(CacheKitProperties properties, @Nullable DataRedisConnections fromSpringDataRedis) {
		if (fromSpringDataRedis != null && fromSpringDataRedis.serviceConnection() != null) {
			return fromSpringDataRedis.serviceConnection().get();
		}
		String configured = properties.getRedisUrl();
		if (configured != null && !configured.isBlank()) {
			return new Resolved(configured.strip(), properties.getRedisOptions().isCluster(), "app.cache.redis-url");
		}
		if (fromSpringDataRedis != null && fromSpringDataRedis.properties() != null) {
			return fromSpringDataRedis.properties().get();
		}
		return new Resolved(DEFAULT_URL, properties.getRedisOptions().isCluster(), "app.cache.redis-url");
	}

	/**
	 * Applies {@code app.cache.redis-options.sentinel-username}/{@code sentinel-password} when
	 * set (they win over {@code spring.data.redis.sentinel.*}).
	 */
	static Resolved applySentinelCredentials(Resolved connection, CacheKitProperties properties) {
		String password = properties.getRedisOptions().getSentinelPassword();
		if (password == null || password.isEmpty()) {
			return connection;
		}
		return connection.withSentinelCredentials(properties.getRedisOptions().getSentinelUsername(), password);
	}

	/**
	 * Applies {@code app.cache.redis-options.ssl-bundle} when set (it wins over a bundle from
	 * {@code spring.data.redis.ssl.bundle}).
	 * @throws InvalidCacheKitConfigurationException when no bundle has that name
	 */
	static Resolved applySslBundle(Resolved connection, CacheKitProperties properties, @Nullable SslBundles bundles) {
		String name = properties.getRedisOptions().getSslBundle();
		if (name == null || name.isBlank()) {
			return connection;
		}
		String property = "app.cache.redis-options.ssl-bundle";
		if (bundles == null) {
			throw new InvalidCacheKitConfigurationException(property,
					"SSL bundle '" + name + "' was asked for, but the application has no SslBundles (spring.ssl.bundle.*)");
		}
		try {
			return connection.withSsl(bundles.getBundle(name.strip()));
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidCacheKitConfigurationException(property,
					"no SSL bundle named '" + name.strip() + "' (configure it under spring.ssl.bundle.*)");
		}
	}

	/** Lettuce's TLS options from a Spring Boot SSL bundle: its key and trust managers, protocols and ciphers. */
	static SslOptions sslOptions(SslBundle bundle) {
		SslOptions.Builder builder = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		String[] protocols = bundle.getOptions().getEnabledProtocols();
		if (protocols != null) {
			builder.protocols(protocols);
		}
		String[] ciphers = bundle.getOptions().getCiphers();
		if (ciphers != null) {
			builder.cipherSuites(ciphers);
		}
		return builder.build();
	}

}
