package io.cachekit.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisURI;

/**
 * A parsed Redis URL: one {@link RedisURI} for a single server or Sentinel, or the seed URIs of
 * a cluster ({@code redis://host1:port1,host2:port2}). Knows how to show itself without
 * credentials; the raw URL is never kept.
 */
final class RedisTarget {

	private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^@/?#]*)@");

	private final List<RedisURI> uris;

	private final boolean cluster;

	private final String display;

	private RedisTarget(List<RedisURI> uris, boolean cluster, String display) {
		this.uris = uris;
		this.cluster = cluster;
		this.display = display;
	}

	/**
	 * Parses {@code url}: Lettuce's syntax ({@code redis://}, {@code rediss://},
	 * {@code redis-socket://}, {@code redis-sentinel://}); a comma-separated host list after
	 * {@code redis://} or {@code rediss://}, or {@code cluster = true}, means a Redis Cluster.
	 * @throws IllegalArgumentException naming {@code redisUrl}, with credentials masked
	 */
	static RedisTarget parse(String url, boolean cluster) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException("redisUrl must not be empty");
		}
		String masked = mask(url.strip());
		String trimmed = url.strip();
		int schemeEnd = trimmed.indexOf("://");
		if (schemeEnd <= 0) {
			throw new IllegalArgumentException("redisUrl '" + masked
					+ "' is not a Redis URL: expected redis://, rediss://, redis-socket:// or redis-sentinel://");
		}
		String scheme = trimmed.substring(0, schemeEnd);
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
		try {
			RedisURI uri = RedisURI.create(url);
			if (uri.getSocket() == null && (uri.getHost() == null || uri.getHost().isEmpty())
					&& uri.getSentinels().isEmpty()) {
				throw new IllegalArgumentException("no host");
			}
			return uri;
		}
		catch (RuntimeException ex) {
			// The cause may quote the raw URL, credentials included: keep only its masked gist.
			String reason = (ex.getMessage() != null) ? mask(ex.getMessage()).replace(url, masked) : ex.getClass().getSimpleName();
			throw new IllegalArgumentException("redisUrl '" + masked + "' is not a valid Redis URL: " + reason);
		}
	}

	private static void checkPort(String hostAndPort, String masked) {
		int bracket = hostAndPort.lastIndexOf(']');
		int colon = hostAndPort.lastIndexOf(':');
		if (colon > bracket && colon >= 0) {
			String port = hostAndPort.substring(colon + 1);
			if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
				throw new IllegalArgumentException(
						"redisUrl '" + masked + "' is not a valid Redis URL: port '" + port + "' is not a number");
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
	 * diagnose and is not a secret).
	 */
	static String mask(String url) {
		if (!url.contains("://") && url.contains("@")) {
			// not even a URL: whatever precedes '@' may be a credential
			return "****" + url.substring(url.lastIndexOf('@'));
		}
		Matcher matcher = USER_INFO.matcher(url);
		StringBuilder sb = new StringBuilder();
		while (matcher.find()) {
			String info = matcher.group(1);
			int colon = info.indexOf(':');
			String replacement = (colon >= 0) ? info.substring(0, colon) + ":****@" : "****@";
			matcher.appendReplacement(sb, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(sb);
		return sb.toString();
	}

	/**
	 * Checks that {@code url} addresses Redis through Sentinel, where sentinel credentials apply.
	 * @throws IllegalArgumentException naming the URL, credentials masked
	 */
	static void checkSentinel(@Nullable String url) {
		String scheme = (url != null) ? url.strip().toLowerCase(Locale.ROOT) : "";
		if (!scheme.startsWith("redis-sentinel://") && !scheme.startsWith("rediss-sentinel://")) {
			throw new IllegalArgumentException("sentinelCredentials apply to Sentinel connections only (redis-sentinel://), "
					+ "but redisUrl is '" + ((url != null) ? mask(url.strip()) : null) + "'");
		}
	}

	/** Sets the credentials every Sentinel node of this target is authenticated with. */
	void authenticateSentinels(@Nullable String username, char[] password) {
		for (RedisURI sentinel : this.uris.get(0).getSentinels()) {
			if (username != null) {
				sentinel.setAuthentication(username, password);
			}
			else {
				sentinel.setAuthentication(password);
			}
		}
	}

	List<RedisURI> uris() {
		return this.uris;
	}

	boolean isCluster() {
		return this.cluster;
	}

	/** The URL as it may be shown: credentials masked. */
	@Override
	public String toString() {
		return this.display;
	}

}
