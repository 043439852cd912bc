package io.cachekit.benchmarks.support;

/**
 * Where the benchmark Redis is: {@code 127.0.0.1} and the port given by the system property
 * {@code cachekit.bench.redis.port} (set by {@code benchmarks/run.sh} through
 * {@code -jvmArgsAppend}), else the environment variable {@code CACHEKIT_BENCH_REDIS_PORT},
 * else 6379.
 */
public final class RedisEndpoint {

	public static final String HOST = "127.0.0.1";

	private RedisEndpoint() {
	}

	public static int port() {
		String port = System.getProperty("cachekit.bench.redis.port");
		if (port == null || port.isBlank()) {
			port = System.getenv("CACHEKIT_BENCH_REDIS_PORT");
		}
		return (port == null || port.isBlank()) ? 6379 : Integer.parseInt(port.strip());
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public static String url() {
		return url(port());
	}

	public static String url(int port) {
		return "redis://" + HOST + ":" + port;
	}

}
