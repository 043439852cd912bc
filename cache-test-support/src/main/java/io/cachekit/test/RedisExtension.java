package io.cachekit.test;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import com.redis.testcontainers.RedisContainer;

/**
 * Hands a test class a running Redis and its URL. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = RedisExtension.standalone();
 * }</pre>
 *
 * {@link #standalone()} chooses the first that applies: {@code CACHEKIT_TEST_REDIS_URL} (an
 * external server: tests must confine themselves to their own key prefix), a Docker engine
 * (Testcontainers, {@code com.redis:testcontainers-redis}), else a local {@code redis-server}
 * process ({@link RedisBinary}). {@link #dedicated()} always starts a process of its own so a
 * fault test may stop and restart it; {@link #cluster()} starts a local 3+3 cluster,
 * {@link #sentinel()} a Sentinel topology, {@link #tls()} a TLS-only server. Whatever was started
 * is stopped when the class ends, whether its tests passed or not.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

	/** Environment variable naming an external Redis for the standalone tests. */
	public static final String EXTERNAL_URL_ENV = "CACHEKIT_TEST_REDIS_URL";

	private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

	private static volatile Boolean dockerAvailable;

	private final Kind kind;

	private volatile String url;

	private volatile RedisProcess process;

	private volatile RedisCluster cluster;

	private volatile AutoCloseable container;

	private volatile RedisSentinel sentinel;

	private volatile TlsRedis tls;

	private final String[] serverArgs;

	private final String sentinelPassword;

	private RedisExtension(Kind kind, String... serverArgs) {
		this(kind, null, serverArgs);
	}

	private RedisExtension(Kind kind, String sentinelPassword, String[] serverArgs) {
		this.kind = kind;
		this.sentinelPassword = sentinelPassword;
		this.serverArgs = serverArgs;
	}

	/** A standalone server: external, container, or local process, in that order of preference. */
	public static RedisExtension standalone() {
		return new RedisExtension(Kind.STANDALONE);
	}

	/** A local process owned by this test class, which the tests may {@link #process() stop and restart}. */
	public static RedisExtension dedicated() {
		return new RedisExtension(Kind.DEDICATED);
	}

	/**
	 * A local process owned by this test class, started with extra {@code redis-server}
	 * arguments (for example {@code "--requirepass", "secret"}).
	 */
	public static RedisExtension dedicated(String... serverArgs) {
		return new RedisExtension(Kind.DEDICATED, serverArgs);
	}

	/** A local Sentinel topology: master, replica, three sentinels. */
	public static RedisExtension sentinel() {
		return new RedisExtension(Kind.SENTINEL);
	}

	/**
	 * A local Sentinel topology whose sentinels require {@code AUTH sentinelPassword} (see
	 * {@link RedisSentinel#start(String)}).
	 */
	public static RedisExtension sentinel(String sentinelPassword) {
		return new RedisExtension(Kind.SENTINEL, sentinelPassword, new String[0]);
	}

	/**
	 * A TLS-only local process with a certificate made for the test ({@link TlsRedis}); its
	 * {@link #url()} is {@code rediss://}. Needs a TLS-capable redis-server: outside CI
	 * ({@code CI=true}) the test class is skipped without one, in CI it fails.
	 */
	public static RedisExtension tls() {
		return new RedisExtension(Kind.TLS);
	}

	/**
	 * A local process owned by this test class that also listens on a Unix domain socket; its
	 * {@link #url()} is the {@code redis-socket://} URL.
	 */
	public static RedisExtension unixSocket() {
		return new RedisExtension(Kind.UNIX_SOCKET);
	}

	/** A local Redis Cluster, 3 masters and 3 replicas. */
	public static RedisExtension cluster() {
		return new RedisExtension(Kind.CLUSTER);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		switch (this.kind) {
			case STANDALONE -> startStandalone();
			case DEDICATED -> {
				this.process = RedisProcess.start(this.serverArgs);
				this.url = this.process.url();
				announce("local " + RedisBinary.source());
			}
			case UNIX_SOCKET -> {
				this.process = RedisProcess.startWithUnixSocket();
				this.url = this.process.socketUrl();
				announce("local " + RedisBinary.source());
			}
			case SENTINEL -> {
				this.sentinel = RedisSentinel.start(this.sentinelPassword);
				this.url = this.sentinel.url();
				announce("local " + RedisBinary.source());
			}
			case CLUSTER -> {
				this.cluster = RedisCluster.start(3);
				this.url = this.cluster.url();
				announce("local " + RedisBinary.source());
			}
			case TLS -> {
				boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
				Assumptions.assumeTrue(ci || TlsRedis.isSupported(), "no TLS-capable redis-server on PATH");
				this.tls = TlsRedis.start();
				this.url = this.tls.url();
			}
		}
	}

	private void startStandalone() {
		String external = System.getenv(EXTERNAL_URL_ENV);
		if (external != null && !external.isBlank()) {
			this.url = external;
			announce("external Redis from " + EXTERNAL_URL_ENV);
			return;
		}
		if (isDockerAvailable()) {
			RedisContainer redis = new RedisContainer(RedisContainer.DEFAULT_IMAGE_NAME.withTag(RedisContainer.DEFAULT_TAG));
			redis.start();
			this.container = redis;
			this.url = "redis://" + redis.getRedisHost() + ":" + redis.getRedisPort();
			announce("Testcontainers (" + RedisContainer.DEFAULT_IMAGE_NAME + ")");
			return;
		}
		this.process = RedisProcess.start();
		this.url = this.process.url();
		announce("local " + RedisBinary.source());
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.sentinel != null) {
			this.sentinel.close();
		}
		if (this.tls != null) {
			this.tls.close();
		}
		if (this.container != null) {
			this.container.close();
		}
	}

	/** The URL to connect to (for a cluster: every master, comma separated). */
	public String url() {
		if (this.url == null) {
			throw new IllegalStateException("RedisExtension must be registered as a static @RegisterExtension field");
		}
		return this.url;
	}

	/** The local process, for tests that stop and restart it. Only for {@link #dedicated()}. */
	public RedisProcess process() {
		if (this.process == null || this.kind != Kind.DEDICATED) {
			throw new IllegalStateException("Only RedisExtension.dedicated() hands out a process to control");
		}
		return this.process;
	}

	/** The local Sentinel topology. Only for {@link #sentinel()}. */
	public RedisSentinel redisSentinel() {
		if (this.sentinel == null) {
			throw new IllegalStateException("Only RedisExtension.sentinel() has a Sentinel topology");
		}
		return this.sentinel;
	}

	/** The TLS server, for its certificate. Only for {@link #tls()}. */
	public TlsRedis tlsRedis() {
		if (this.tls == null) {
			throw new IllegalStateException("Only RedisExtension.tls() has a TLS server");
		}
		return this.tls;
	}

	/** The local cluster. Only for {@link #cluster()}. */
	public RedisCluster redisCluster() {
		if (this.cluster == null) {
			throw new IllegalStateException("Only RedisExtension.cluster() has a cluster");
		}
		return this.cluster;
	}

	private static boolean isDockerAvailable() {
		if (dockerAvailable == null) {
			boolean available;
			if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
					&& !java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"))) {
				// No engine in sight: skip Testcontainers' probe and its error log.
				dockerAvailable = false;
				return false;
			}
			try {
				available = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException | LinkageError ex) {
				available = false;
			}
			dockerAvailable = available;
		}
		return dockerAvailable;
	}

	private static void announce(String source) {
		if (ANNOUNCED.compareAndSet(false, true)) {
			System.out.println("[cachekit-test] Redis for tests: " + source);
		}
	}

	private enum Kind {

		STANDALONE, DEDICATED, SENTINEL, CLUSTER, TLS, UNIX_SOCKET

	}

}
