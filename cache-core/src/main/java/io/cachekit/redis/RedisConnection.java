package io.cachekit.redis;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.redis.internal.RedisTarget;
import io.cachekit.redis.internal.RedisUrls;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;

/**
 * Where Redis is and how to reach it, as one value: a Redis URL, or Lettuce {@link RedisURI}s
 * (one for a single server, a unix socket or Sentinel; several for the seeds of a Redis
 * Cluster), with the Sentinel nodes' own credentials when they have some and the TLS material
 * ({@link SslOptions}) when it is not the JVM's default. Immutable; shown ({@code toString()})
 * with credentials masked.
 */
public final class RedisConnection {

	private final @Nullable String url;

	private final @Nullable List<RedisURI> uris;

	private final boolean cluster;

	private final @Nullable String sentinelUsername;

	private final char @Nullable [] sentinelPassword;

	private final @Nullable SslOptions sslOptions;

	private RedisConnection(@Nullable String url, @Nullable List<RedisURI> uris, boolean cluster,
			@Nullable String sentinelUsername, char @Nullable [] sentinelPassword, @Nullable SslOptions sslOptions) {
		this.url = url;
		this.uris = uris;
		this.cluster = cluster;
		this.sentinelUsername = sentinelUsername;
		this.sentinelPassword = sentinelPassword;
		this.sslOptions = sslOptions;
	}

	/**
	 * The URL with any password replaced by {@code ****}, safe for logs and messages (the one
	 * credential masker there is, also the engine's).
	 * @param url a Redis URL, or {@code null}
	 * @return the URL with its credentials masked
	 */
	public static String mask(@Nullable String url) {
		return RedisUrls.mask(url);
	}

	/**
	 * {@code text} (a command line, a JSON document, a message) with the password of every URL in
	 * it replaced by {@code ****}; or {@code ****} alone when URLs in it cannot be told apart
	 * safely. Text without {@code ://} is returned unchanged.
	 * @param text text that may hold URLs
	 * @return the text with the credentials of every URL masked
	 */
	public static String maskText(String text) {
		return RedisUrls.maskText(text);
	}

	/**
	 * A connection to the Redis a URL names ({@code redis://}, {@code rediss://},
	 * {@code redis-socket://}, {@code redis-sentinel://}; several comma-separated hosts: a
	 * cluster). The URL is checked when the backend is built.
	 * @param url the Redis URL
	 * @return the connection
	 */
	public static RedisConnection url(String url) {
		return new RedisConnection(url, null, false, null, null, null);
	}

	/**
	 * A connection to a single server, a unix socket, or a Sentinel-managed master (a URI with
	 * sentinels), as Lettuce describes it.
	 * @param uri the Lettuce URI
	 * @return the connection
	 */
	public static RedisConnection of(RedisURI uri) {
		Objects.requireNonNull(uri, "redisUri must not be null");
		return new RedisConnection(null, List.of(uri), false, null, null, null);
	}

	/**
	 * A connection to a Redis Cluster through its seed nodes.
	 * @param seeds the seed nodes' URIs
	 * @return the connection
	 */
	public static RedisConnection cluster(List<RedisURI> seeds) {
		Objects.requireNonNull(seeds, "seeds must not be null");
		return new RedisConnection(null, List.copyOf(seeds), true, null, null, null);
	}

	/**
	 * This connection, its hosts taken as the seeds of a cluster or not (several comma-separated
	 * hosts in a URL always are).
	 * @param cluster whether the hosts are cluster seeds
	 * @return the changed connection
	 */
	public RedisConnection asCluster(boolean cluster) {
		return new RedisConnection(this.url, this.uris, cluster, this.sentinelUsername, this.sentinelPassword,
				this.sslOptions);
	}

	/**
	 * This connection with the credentials of the Sentinel nodes themselves (their
	 * {@code requirepass} or ACL user); the URL's or URI's own credentials are the data nodes'.
	 * @param username the ACL user, or {@code null} for {@code requirepass}
	 * @param password the password; never shown in logs, messages or {@code toString()}
	 * @return the changed connection
	 * @throws IllegalArgumentException when this is not a Sentinel connection
	 */
	public RedisConnection withSentinelCredentials(@Nullable String username, CharSequence password) {
		Objects.requireNonNull(password, "sentinel password must not be null");
		if (this.uris != null) {
			if (this.uris.get(0).getSentinels().isEmpty()) {
				throw new IllegalArgumentException("sentinelCredentials apply to Sentinel connections only, but the "
						+ "connection is " + this);
			}
		}
		else {
			RedisTarget.checkSentinel(this.url);
		}
		return new RedisConnection(this.url, this.uris, this.cluster, (username != null && !username.isEmpty()) ? username : null,
				password.toString().toCharArray(), this.sslOptions);
	}

	/**
	 * This connection over TLS with this material (key and trust managers, protocols, ciphers),
	 * for example from a Spring Boot SSL bundle: a {@code redis://} or {@code redis-sentinel://}
	 * URL is used as {@code rediss://} or {@code rediss-sentinel://}, and given URIs (with their
	 * sentinels) are set to TLS ({@link RedisURI#setSsl(boolean)}). The options are given to the
	 * client before any {@link RedisCacheBackendBuilder#clientOptions client options customizer},
	 * which may still replace them.
	 * @param sslOptions Lettuce's TLS options
	 * @return the changed connection
	 */
	public RedisConnection withSsl(SslOptions sslOptions) {
		Objects.requireNonNull(sslOptions, "sslOptions must not be null");
		return new RedisConnection(this.url, this.uris, this.cluster, this.sentinelUsername, this.sentinelPassword,
				sslOptions);
	}

	/**
	 * Whether the hosts are the seeds of a cluster (as set; a URL with several hosts is one too).
	 * @return whether this was declared a cluster
	 */
	public boolean isCluster() {
		return this.cluster;
	}

	/** The parsed, checked target, with the Sentinel credentials and the TLS material applied. */
	RedisTarget target() {
		List<RedisURI> given = this.uris;
		SslOptions ssl = this.sslOptions;
		if (given != null && ssl != null) {
			for (RedisURI uri : given) {
				uri.setSsl(true);
				uri.getSentinels().forEach((sentinel) -> sentinel.setSsl(true));
			}
		}
		RedisTarget target = (given != null) ? RedisTarget.of(given, this.cluster)
				: RedisTarget.parse((ssl != null) ? tls(Objects.requireNonNullElse(this.url, ""))
						: Objects.requireNonNullElse(this.url, ""), this.cluster);
		char[] password = this.sentinelPassword;
		if (password != null) {
			target.authenticateSentinels(this.sentinelUsername, password);
		}
		return (ssl != null) ? target.withSslOptions(ssl) : target;
	}

	/** The URL over TLS: {@code redis} schemes become {@code rediss}. */
	private static String tls(String url) {
		String stripped = url.strip();
		if (stripped.regionMatches(true, 0, "redis://", 0, 8)) {
			return "rediss://" + stripped.substring(8);
		}
		if (stripped.regionMatches(true, 0, "redis-sentinel://", 0, 17)) {
			return "rediss-sentinel://" + stripped.substring(17);
		}
		return stripped;
	}

	@Override
	public String toString() {
		try {
			return "RedisConnection[" + target() + "]";
		}
		catch (IllegalArgumentException ex) {
			return "RedisConnection[invalid]";
		}
	}

}
