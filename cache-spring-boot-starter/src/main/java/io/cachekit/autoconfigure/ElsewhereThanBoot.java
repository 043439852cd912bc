package io.cachekit.autoconfigure;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.redis.RedisConnection;
import io.lettuce.core.RedisURI;

/**
 * Says once, at start-up, when CacheKit connects through {@code app.cache.redis-url} somewhere
 * else than Spring Boot's Redis auto-configuration does from {@code spring.data.redis.*}: Boot's
 * {@code redis} health indicator then checks a server CacheKit does not use. Both targets shown
 * with credentials masked.
 */
final class ElsewhereThanBoot {

	private static final Logger logger = LoggerFactory.getLogger(ElsewhereThanBoot.class);

	private ElsewhereThanBoot() {
	}

	/**
	 * @param url {@code app.cache.redis-url}
	 * @param cluster {@code app.cache.redis-options.cluster}
	 * @param boot the connection Boot derives from {@code spring.data.redis.*}
	 */
	static void logIfElsewhere(String url, boolean cluster, Supplier<Connections.Resolved> boot) {
		String ours;
		String theirs;
		try {
			// both as the URIs show them (redis://host:port/db), so that redis://localhost:6379 and
			// Boot's default localhost:6379, database 0, are one target
			RedisConnection connection = (cluster || url.contains(",")) ? RedisConnection.url(url).asCluster(cluster)
					: RedisConnection.of(RedisURI.create(url.strip()));
			ours = unwrapped(connection.toString(), "RedisConnection[");
			theirs = shown(boot.get());
		}
		catch (RuntimeException ex) {
			// an invalid URL is reported where it is used; Boot reports its own properties
			return;
		}
		if (!where(ours).equals(where(theirs))) {
			logger.info("CacheKit connects to {} (app.cache.redis-url), Spring Boot's Redis auto-configuration to {} "
					+ "(spring.data.redis.*): Boot's 'redis' health indicator checks the latter. Set spring.data.redis.url "
					+ "to the same server, or management.health.redis.enabled=false", ours, theirs);
		}
	}

	/**
	 * The target without its user-info: the same server whoever logs in (and however the masked
	 * credentials are shown).
	 */
	private static String where(String shown) {
		int scheme = shown.indexOf("://");
		int at = shown.lastIndexOf('@');
		return (scheme >= 0 && at > scheme) ? shown.substring(0, scheme + 3) + shown.substring(at + 1) : shown;
	}

	/** {@code RedisConnection[<target>]}: the target. */
	private static String unwrapped(String shown, String start) {
		return (shown.startsWith(start) && shown.endsWith("]")) ? shown.substring(start.length(), shown.length() - 1)
				: shown;
	}

	/** {@code Resolved[<target>, from ...]}: the target. */
	private static String shown(Connections.Resolved resolved) {
		String shown = resolved.toString();
		String start = "Resolved[";
		int end = shown.lastIndexOf(", from ");
		return (shown.startsWith(start) && end > start.length()) ? shown.substring(start.length(), end) : shown;
	}

}
