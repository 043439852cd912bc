package io.cachekit.redis.internal;

import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;

/**
 * A parsed Redis URL: one {@link RedisURI} for a single server or Sentinel, or the seed URIs of
 * a cluster ({@code redis://host1:port1,host2:port2}). Knows how to show itself without
 * credentials; the raw URL is never kept.
 */
public final class RedisTarget {

	/** The schemes Lettuce's {@link RedisURI#create(String)} knows. */
	private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis+ssl", "redis+tls", "redis-socket",
			"redis+socket", "redis-sentinel", "rediss-sentinel");

	private final List<RedisURI> uris;

	private final boolean cluster;

	private final String display;

	private final @Nullable SslOptions sslOptions;

	private RedisTarget(List<RedisURI> uris, boolean cluster, String display) {
		this(uris, cluster, display, null);
	}

	private RedisTarget(List<RedisURI> uris, boolean cluster, String display, @Nullable SslOptions sslOptions) {
		this.uris = uris;
		this.cluster = cluster;
		this.display = display;
		this.sslOptions = sslOptions;
	}

	/**
	 * Parses {@code url}: Lettuce's syntax ({@code redis://}, {@code rediss://},
	 * {@code redis-socket://}, {@code redis-sentinel://}); a comma-separated host list after
	 * {@code redis://} or {@code rediss://}, or {@code cluster = true}, means a Redis Cluster.
	 * User-info that Lettuce would read differently than we do (an unencoded {@code #}, {@code /},
	 * {@code ?}, or a second {@code @}: see {@link UrlCredentials}) is refused before Lettuce sees
	 * the URL, so no part of a password can be taken for a host name and looked up.
	 * @param url the Redis URL
	 * @param cluster whether the URL's hosts are cluster seeds
	 * @return the target, shown with credentials masked
	 * @throws IllegalArgumentException naming {@code redisUrl}, with credentials masked
	 */
	public static RedisTarget parse(String url, boolean cluster) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException("redisUrl must not be empty");
		}
		String trimmed = url.strip();
		int schemeEnd = trimmed.indexOf("://");
		if (schemeEnd <= 0) {
			// not shown: without a scheme we cannot tell which part may be a credential
			throw new IllegalArgumentException("redisUrl is not a Redis URL: expected redis://, rediss://, "
					+ "redis-socket:// or redis-sentinel:// followed by [user:password@]host[:port]");
		}
		String masked = UrlCredentials.maskUrl(trimmed);
		UrlCredentials.checkUserInfo(trimmed);
		String scheme = trimmed.substring(0, schemeEnd);
		if (!SCHEMES.contains(scheme)) {
			throw new IllegalArgumentException("redisUrl '" + masked + "' has an unsupported scheme"
					+ (scheme.chars().allMatch((c) -> Character.isLetterOrDigit(c) || "+-.".indexOf(c) >= 0)
							? " '" + scheme + "'" : "")
					+ ": use redis://, rediss://, redis-socket:// or redis-sentinel:// (lower case)");
		}
		String rest = trimmed.substring(schemeEnd + 3);
		int at = rest.lastIndexOf('@');
		String userInfo = (at >= 0) ? rest.substring(0, at + 1) : "";
		String afterUser = rest.substring(at + 1);
		int hostEnd = indexOfAny(afterUser, "/?#");
		String hosts = (hostEnd >= 0) ? afterUser.substring(0, hostEnd) : afterUser;
		String tail = (hostEnd >= 0) ? afterUser.substring(hostEnd) : "";
		boolean plain = scheme.equals("redis") || scheme.equals("rediss");
		if (plain) {
			for (String host : hosts.split(",")) {
				checkPort(host.strip(), masked);
			}
		}
		boolean multiHost = plain && hosts.contains(",");
		List<RedisURI> uris = new ArrayList<>();
		if (multiHost || (cluster && plain)) {
			for (String host : hosts.split(",")) {
				if (host.isBlank()) {
					throw new IllegalArgumentException("redisUrl '" + masked + "' has an empty host in its host list");
				}
				uris.add(create(scheme + "://" + userInfo + host.strip() + tail, masked));
			}
			return new RedisTarget(List.copyOf(uris), true, masked);
		}
		if (cluster) {
			throw new IllegalArgumentException(
					"redisUrl '" + masked + "' cannot address a cluster: use redis:// or rediss:// with seed hosts");
		}
		uris.add(create(trimmed, masked));
		return new RedisTarget(List.copyOf(uris), false, masked);
	}

	private static RedisURI create(String url, String masked) {
		RedisURI uri;
		try {
			uri = RedisURI.create(url);
		}
		catch (RuntimeException ex) {
			// Lettuce's message may quote the URL, or a piece of it: only a reason that cannot is kept.
			throw new IllegalArgumentException("redisUrl '" + masked + "' is not a valid Redis URL: " + reason(ex));
		}
		if (uri.getSocket() == null && (uri.getHost() == null || uri.getHost().isEmpty())
				&& uri.getSentinels().isEmpty()) {
			throw new IllegalArgumentException("redisUrl '" + masked + "' is not a valid Redis URL: it names no host");
		}
		return uri;
	}

	/** Why Lettuce refused a URL, in words that hold no part of it. */
	private static String reason(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof URISyntaxException syntax) {
				return syntax.getReason(); // the JDK's fixed text; getMessage() would add the input
			}
			if (t instanceof NumberFormatException) {
				return "a port or the database is not a number";
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return "Lettuce cannot parse it (" + ex.getClass().getSimpleName() + ")";
	}

	private static void checkPort(String hostAndPort, String masked) {
		int bracket = hostAndPort.lastIndexOf(']');
		int colon = hostAndPort.lastIndexOf(':');
		if (colon > bracket && colon >= 0) {
			String port = hostAndPort.substring(colon + 1);
			if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
				throw new IllegalArgumentException(
						"redisUrl '" + masked + "' is not a valid Redis URL: a port is not a number");
			}
		}
	}

	private static int indexOfAny(String s, String chars) {
		for (int i = 0; i < s.length(); i++) {
			if (chars.indexOf(s.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The URL with its password replaced by {@code ****} (the user name is kept, as it helps
	 * diagnose and is not a secret); see {@link UrlCredentials} for the rules.
	 */
	static String mask(String url) {
		return UrlCredentials.maskUrl(url);
	}

	/**
	 * Checks that {@code url} addresses Redis through Sentinel, where sentinel credentials apply.
	 * @param url the Redis URL, or {@code null}
	 * @throws IllegalArgumentException naming the URL, credentials masked
	 */
	public static void checkSentinel(@Nullable String url) {
		String scheme = (url != null) ? url.strip().toLowerCase(Locale.ROOT) : "";
		if (!scheme.startsWith("redis-sentinel://") && !scheme.startsWith("rediss-sentinel://")) {
			throw new IllegalArgumentException("sentinelCredentials apply to Sentinel connections only (redis-sentinel://), "
					+ "but redisUrl is '" + ((url != null) ? mask(url.strip()) : null) + "'");
		}
	}

	/**
	 * Sets the credentials every Sentinel node of this target is authenticated with.
	 * @param username the ACL user, or {@code null} for {@code requirepass}
	 * @param password the password
	 */
	public void authenticateSentinels(@Nullable String username, char[] password) {
		for (RedisURI sentinel : this.uris.get(0).getSentinels()) {
			if (username != null) {
				sentinel.setAuthentication(username, password);
			}
			else {
				sentinel.setAuthentication(password);
			}
		}
	}

	/**
	 * A target of Lettuce {@link RedisURI}s: one for a single server, a socket or Sentinel (its
	 * sentinels inside), or the seeds of a cluster.
	 * @param uris the URIs (copied)
	 * @param cluster whether they are cluster seeds
	 * @return the target, shown with credentials masked
	 * @throws IllegalArgumentException when there is no URI, or several that are not cluster seeds
	 */
	public static RedisTarget of(List<RedisURI> uris, boolean cluster) {
		if (uris == null || uris.isEmpty() || uris.stream().anyMatch(Objects::isNull)) {
			throw new IllegalArgumentException("redisUris must hold at least one RedisURI and no null");
		}
		if (uris.size() > 1 && !cluster) {
			throw new IllegalArgumentException("several RedisURIs are the seeds of a cluster: " + uris.size()
					+ " were given for a connection that is not one");
		}
		return new RedisTarget(List.copyOf(uris), cluster, describe(uris, cluster));
	}

	/**
	 * The URIs as a Redis URL with the password masked: {@code redis://[user:****@]host:port/db},
	 * {@code redis-sentinel://host:port,host:port/db#master}, a cluster's seeds as
	 * {@code redis://host:port,host:port}. Lettuce's own {@code toURI()} shows neither the user
	 * name nor the Sentinel master as URLs do.
	 */
	private static String describe(List<RedisURI> uris, boolean cluster) {
		RedisURI first = uris.get(0);
		if (first.getSocket() != null) {
			return "redis-socket://" + userInfo(first) + first.getSocket();
		}
		boolean sentinel = !first.getSentinels().isEmpty();
		String scheme = (first.isSsl() ? "rediss" : "redis") + (sentinel ? "-sentinel" : "");
		List<String> hosts = new ArrayList<>();
		for (RedisURI node : sentinel ? first.getSentinels() : uris) {
			String host = node.getHost();
			hosts.add(((host != null && host.contains(":") && !host.startsWith("[")) ? "[" + host + "]" : host) + ":"
					+ node.getPort());
		}
		String path = cluster ? "" : "/" + first.getDatabase();
		String master = (sentinel && first.getSentinelMasterId() != null) ? "#" + first.getSentinelMasterId() : "";
		return scheme + "://" + userInfo(first) + String.join(",", hosts) + path + master;
	}

	/** {@code user:****@}, {@code :****@}, {@code user@} or nothing: never the password. */
	private static String userInfo(RedisURI uri) {
		if (!(uri.getCredentialsProvider() instanceof RedisCredentialsProvider.ImmediateRedisCredentialsProvider immediate)) {
			return (uri.getCredentialsProvider() != null) ? UrlCredentials.MASK + "@" : "";
		}
		RedisCredentials credentials = immediate.resolveCredentialsNow();
		if (credentials == null) {
			return "";
		}
		String user = credentials.hasUsername() ? credentials.getUsername() : "";
		if (credentials.hasPassword()) {
			return user + ":" + UrlCredentials.MASK + "@";
		}
		return user.isEmpty() ? "" : user + "@";
	}

	/**
	 * This target with the TLS material the client is given (key and trust managers, protocols,
	 * ciphers); whether a URI uses TLS is its own {@link RedisURI#isSsl()}.
	 * @param sslOptions Lettuce's TLS options
	 * @return the target with the TLS material
	 */
	public RedisTarget withSslOptions(SslOptions sslOptions) {
		return new RedisTarget(this.uris, this.cluster, this.display, sslOptions);
	}

	/**
	 * The TLS material the client is given, if any.
	 * @return the TLS options, or {@code null} for Lettuce's defaults
	 */
	public @Nullable SslOptions sslOptions() {
		return this.sslOptions;
	}

	/**
	 * The Lettuce URIs.
	 * @return the URIs
	 */
	public List<RedisURI> uris() {
		return this.uris;
	}

	/**
	 * Whether the URIs are cluster seeds.
	 * @return whether this is a cluster
	 */
	public boolean isCluster() {
		return this.cluster;
	}

	/** The URL as it may be shown: credentials masked. */
	@Override
	public String toString() {
		return this.display;
	}

}
