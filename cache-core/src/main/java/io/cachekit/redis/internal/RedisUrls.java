package io.cachekit.redis.internal;

import org.jspecify.annotations.Nullable;

/** Redis URL helpers for code that configures a a {@code RedisCacheBackend}. */
public final class RedisUrls {

	private RedisUrls() {
	}

	/**
	 * The URL with any password replaced by {@code ****}, safe for logs and messages. The
	 * user-info is everything between {@code ://} and the last {@code @}; the user name is kept
	 * when the user-info holds only characters allowed there unencoded, else it is masked too.
	 * A string without {@code ://} but with {@code @} is masked up to its last {@code @}.
	 * @param url a Redis URL, or {@code null}
	 * @return the URL with its credentials masked
	 */
	public static String mask(@Nullable String url) {
		return (url != null) ? UrlCredentials.maskUrl(url) : "null";
	}

	/**
	 * {@code text} (a command line, a JSON document, a message) with the password of every URL in
	 * it replaced by {@code ****}; or {@code ****} alone when URLs in it cannot be told apart
	 * safely. Text without {@code ://} is returned unchanged.
	 * @param text text that may hold URLs
	 * @return the text with the credentials of every URL masked
	 */
	public static String maskText(String text) {
		return UrlCredentials.maskText(text);
	}

	/**
	 * Checks that {@code url} is a Redis URL a backend can use, without connecting.
	 * @param cluster whether the URL's hosts are cluster seeds
	 * @param url the Redis URL
	 * @throws IllegalArgumentException naming {@code redisUrl}, credentials masked; also when the
	 *     user-info holds an unencoded {@code #}, {@code /}, {@code ?} or a second {@code @}
	 */
	public static void validate(String url, boolean cluster) {
		RedisTarget.parse(url, cluster);
	}

}
