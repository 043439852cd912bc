package io.cachekit.redis;

/** Redis URL helpers for code that configures a {@link RedisCacheBackend}. */
public final class RedisUrls {

	private RedisUrls() {
	}

	/**
	 * The URL with any password replaced by {@code ****}, safe for logs and messages.
	 */
	public static String mask(String url) {
		return (url != null) ? RedisTarget.mask(url) : "null";
	}

	/**
	 * Checks that {@code url} is a Redis URL a backend can use, without connecting.
	 * @param cluster whether the URL's hosts are cluster seeds
	 * @throws IllegalArgumentException naming {@code redisUrl}, credentials masked
	 */
	public static void validate(String url, boolean cluster) {
		RedisTarget.parse(url, cluster);
	}

}
