package io.cachekit.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import io.cachekit.redis.RedisConnection;
import io.lettuce.core.SslOptions;

/**
 * Where the backend connects: a service connection (Testcontainers {@code @ServiceConnection},
 * Docker Compose, an application's own {@code DataRedisConnectionDetails} bean) when there is
 * one, else {@code app.cache.redis-url} when set, else the connection Spring Boot derives from
 * {@code spring.data.redis.*} (or, without {@code spring-boot-data-redis}, the one CacheKit reads
 * from them: {@link CacheKitDataRedisPropertiesAutoConfiguration}), else
 * {@code redis://localhost:6379/0}; over TLS with an SSL bundle when one is configured.
 */
final class Connections {

	static final String DEFAULT_URL = "redis://localhost:6379/0";

	private static final String SHOWN_PREFIX = "RedisConnection[";

	private Connections() {
	}

	/**
	 * The connection to use, with whatever came with it (TLS material, the Sentinel nodes' own
	 * credentials), and the property a person would fix when it is wrong.
	 */
	record Resolved(RedisConnection connection, String property) {

		/** Never the credentials: the connection as {@link RedisConnection#toString()} shows it. */
		@Override
		public String toString() {
			String shown = this.connection.toString();
			if (shown.startsWith(SHOWN_PREFIX) && shown.endsWith("]")) {
				shown = shown.substring(SHOWN_PREFIX.length(), shown.length() - 1);
			}
			return "Resolved[" + shown + ", from " + this.property + "]";
		}

		Resolved with(RedisConnection changed) {
			return new Resolved(changed, this.property);
		}

	}

	/**
	 * The connections Spring Boot's {@code DataRedisConnectionDetails} beans describe, converted
	 * only when used: one contributed by a service connection ({@code @ServiceConnection}, Docker
	 * Compose, or any bean of the application's), and the one Boot derives from
	 * {@code spring.data.redis.*}; or, without {@code spring-boot-data-redis}, the one CacheKit
	 * reads from {@code spring.data.redis.*} itself ({@code fromBoot} false).
	 */
	record DataRedisConnections(@Nullable Supplier<Resolved> serviceConnection, @Nullable Supplier<Resolved> properties,
			boolean fromBoot) {

		/** Boot's connection details ({@code spring-boot-data-redis} is there). */
		DataRedisConnections(@Nullable Supplier<Resolved> serviceConnection, @Nullable Supplier<Resolved> properties) {
			this(serviceConnection, properties, true);
		}

	}

	/**
	 * The Spring Boot way: a service connection wins, then {@code app.cache.redis-url}, then
	 * {@code spring.data.redis.*}, then {@code redis://localhost:6379/0}.
	 */
	static Resolved resolve(CacheKitProperties properties, @Nullable DataRedisConnections fromSpringDataRedis) {
		if (fromSpringDataRedis != null && fromSpringDataRedis.serviceConnection() != null) {
			return fromSpringDataRedis.serviceConnection().get();
		}
		boolean cluster = properties.getRedisOptions().isCluster();
		String configured = properties.getRedisUrl();
		if (configured != null && !configured.isBlank()) {
			Resolved resolved = new Resolved(RedisConnection.url(configured.strip()).asCluster(cluster), "app.cache.redis-url");
			if (fromSpringDataRedis != null && fromSpringDataRedis.fromBoot() && fromSpringDataRedis.properties() != null) {
				// Boot's Redis auto-configuration (and its health indicator) connects where spring.data.redis.* says
				ElsewhereThanBoot.logIfElsewhere(configured.strip(), cluster, fromSpringDataRedis.properties());
			}
			return resolved;
		}
		if (fromSpringDataRedis != null && fromSpringDataRedis.properties() != null) {
			return fromSpringDataRedis.properties().get();
		}
		return new Resolved(RedisConnection.url(DEFAULT_URL).asCluster(cluster), "app.cache.redis-url");
	}

	/**
	 * Applies {@code app.cache.redis-options.sentinel-username}/{@code sentinel-password} when
	 * set (they win over {@code spring.data.redis.sentinel.*}).
	 * @throws InvalidCacheKitConfigurationException naming the property when the connection is not
	 *     a Sentinel one
	 */
	static Resolved applySentinelCredentials(Resolved resolved, CacheKitProperties properties) {
		String password = properties.getRedisOptions().getSentinelPassword();
		if (password == null || password.isEmpty()) {
			return resolved;
		}
		return CacheKitAutoConfiguration.check("app.cache.redis-options.sentinel-password", () -> resolved
			.with(resolved.connection().withSentinelCredentials(properties.getRedisOptions().getSentinelUsername(), password)));
	}

	/**
	 * Applies {@code app.cache.redis-options.ssl-bundle} when set (it wins over a bundle from
	 * {@code spring.data.redis.ssl.bundle}).
	 * @throws InvalidCacheKitConfigurationException when no bundle has that name
	 */
	static Resolved applySslBundle(Resolved resolved, CacheKitProperties properties, @Nullable SslBundles bundles) {
		String name = properties.getRedisOptions().getSslBundle();
		if (name == null || name.isBlank()) {
			return resolved;
		}
		String property = "app.cache.redis-options.ssl-bundle";
		if (bundles == null) {
			throw new InvalidCacheKitConfigurationException(property,
					"SSL bundle '" + name + "' was asked for, but the application has no SslBundles (spring.ssl.bundle.*)");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name.strip());
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidCacheKitConfigurationException(property,
					"no SSL bundle named '" + name.strip() + "' (configure it under spring.ssl.bundle.*)");
		}
		return resolved.with(resolved.connection().withSsl(sslOptions(bundle)));
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
