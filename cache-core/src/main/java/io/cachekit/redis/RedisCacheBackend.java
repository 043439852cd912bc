package io.cachekit.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.cachekit.core.serialization.CacheSerializers;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;

/**
 * The cache contract on Redis, through one multiplexed Lettuce connection: a single server,
 * Sentinel, or a Redis Cluster. Usable from plain Java:
 *
 * <pre>{@code
 * try (RedisCacheBackend<Product> products = RedisCacheBackend.builder("redis://localhost:6379")
 *         .serializer(CacheSerializers.json(Product.class))
 *         .prefix("shop:")
 *         .build()) {
 *     products.initialize();
 *     products.set("p1", new Product("p1", "Lamp"), Duration.ofMinutes(10));
 *     Optional<Product> lamp = products.get("p1");
 * }
 * }</pre>
 *
 * The first call made before {@link #initialize()} initializes the backend on the spot (once,
 * bounded by the connect timeout), so a bean may warm a cache while the application starts; calls
 * after {@link #shutdown()} throw {@code CacheException(NOT_RUNNING)}. In fail-open mode an
 * unreachable Redis at start-up does not fail {@code initialize()}: the backend answers misses
 * and connects in the background.
 *
 * @param <T> the value type
 */
public final class RedisCacheBackend<T> extends BlockingCacheBackend<T> implements AutoCloseable {

	/** Default key prefix. */
	public static final String DEFAULT_PREFIX = "cache:";

	/** Default time to live of entries written without one: one hour. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(1);

	/** Default command timeout: a cache that answers late is worse than a miss. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(RedisCacheBackend.class);

	private final AsyncRedisCacheBackend.Runtime runtime;

	private final AsyncRedisCacheBackend<T> async;

	private final Duration defaultTtl;

	private final Duration shutdownTimeout;

	private RedisCacheBackend(Builder<T> builder, RedisTarget target) {
		this.defaultTtl = builder.defaultTtl;
		this.shutdownTimeout = builder.shutdownTimeout;
		RedisConnector connector = new RedisConnector(target, builder.commandTimeout, builder.connectTimeout,
				builder.clientName, builder.sslVerifyMode, builder.clientOptions, builder.clientResources);
		this.runtime = new AsyncRedisCacheBackend.Runtime(connector, new Keys(builder.prefix, builder.defaultTtl),
				builder.failureMode, builder.commandTimeout,
				new Breakers(builder.breakerThreshold, builder.breakerOpenDuration),
				new FailureRecorder(target.toString(), builder.failureLogInterval), builder.listener,
				builder.deleteUnreadableEntries, target.toString(), builder.decodeExecutor);
		this.runtime.onFirstUse(this::initializeUnlessStopped);
		// the failures that opened the breakers were the old connection's: serve at once
		connector.onReconnected(this.runtime.breakers::closeAll);
		this.async = new AsyncRedisCacheBackend<>(this.runtime, builder.serializer, (a) -> this);
	}

	/**
	 * Starts building a backend for {@code redisUrl}, with JSON values of any JDK value type.
	 * @param redisUrl where Redis is (see the README's connection URLs)
	 * @return a builder
	 */
	public static Builder<Object> builder(String redisUrl) {
		return new Builder<>(redisUrl, CacheSerializers.json());
	}

	/**
	 * Connects to Redis. Idempotent. In fail-fast mode an unreachable Redis throws
	 * {@code CacheException(CONNECTION)}; in fail-open mode it is logged and retried in the
	 * background while calls answer as in an outage.
	 */
	public synchronized void initialize() {
		this.runtime.stopped = false;
		if (this.runtime.running) {
			return;
		}
		boolean connected = this.runtime.connector.start(this.runtime.mode == FailureMode.FAIL_OPEN);
		this.runtime.running = true;
		if (connected) {
			logger.info("CacheKit connected to {} (prefix '{}', {}, command timeout {})", this.runtime.target,
					this.runtime.keys.prefix(), this.runtime.mode, this.runtime.commandTimeout);
		}
	}

	/** A call arrived before {@link #initialize()}: start now, unless {@link #shutdown()} came first. */
	private synchronized boolean initializeUnlessStopped() {
		if (!this.runtime.stopped) {
			initialize();
		}
		return this.runtime.running;
	}

	/**
	 * Stops taking calls, waits for calls in flight (up to the shutdown timeout), then closes the
	 * connection and the client's threads. Idempotent.
	 */
	public synchronized void shutdown() {
		this.runtime.stopped = true;
		if (!this.runtime.running) {
			this.runtime.connector.close(Duration.ZERO);
			return;
		}
		this.runtime.running = false;
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		while (this.runtime.inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
			Thread.onSpinWait();
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.runtime.connector.close(this.shutdownTimeout);
		logger.info("CacheKit disconnected from {}", this.runtime.target);
	}

	/** Same as {@link #shutdown()}. */
	@Override
	public void close() {
		shutdown();
	}

	/**
	 * Whether {@link #initialize()} was called and {@link #shutdown()} was not.
	 * @return {@code true} while running
	 */
	public boolean isRunning() {
		return this.runtime.running;
	}

	/**
	 * Whether the connection to Redis is up right now.
	 * @return {@code true} while connected
	 */
	public boolean isConnected() {
		return this.runtime.running && this.runtime.connector.isConnected();
	}

	@Override
	public AsyncCacheBackend<T> async() {
		return this.async;
	}

	@Override
	AsyncRedisCacheBackend<T> asyncImpl() {
		return this.async;
	}

	/**
	 * A view of this backend with another serializer: same connection, prefix, TTL and failure
	 * policy, so {@code backend.withSerializer(CacheSerializers.json(Product.class))} gives a
	 * {@code CacheBackend<Product>} without casts. Its lifecycle is this backend's.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @return a view of this backend with {@code serializer}
	 */
	public <U> CacheBackend<U> withSerializer(CacheSerializer<U> serializer) {
		Objects.requireNonNull(serializer, "serializer must not be null");
		return new View<>(this.runtime, serializer);
	}

	/**
	 * The Redis URL with credentials masked.
	 * @return the masked URL
	 */
	public String getTarget() {
		return this.runtime.target;
	}

	/**
	 * The prefix of every key this backend writes.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.runtime.keys.prefix();
	}

	/**
	 * What an outage does to callers.
	 * @return the failure mode
	 */
	public FailureMode getFailureMode() {
		return this.runtime.mode;
	}

	/**
	 * The TTL of entries written without one.
	 * @return the default TTL ({@code ZERO}: no expiry)
	 */
	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * How long one Redis command may take.
	 * @return the command timeout
	 */
	public Duration getCommandTimeout() {
		return this.runtime.commandTimeout;
	}

	/**
	 * How many times {@code operation} failed with {@code code} since start.
	 * @param operation the operation's name, such as {@code get}
	 * @param code the error code
	 * @return the number of such failures
	 */
	public long getFailureCount(String operation, ErrorCode code) {
		return this.runtime.failures.count(operation, code);
	}

	/**
	 * Asks Redis for its version (INFO server), for health reports. Never throws: empty when
	 * Redis does not answer within the command timeout.
	 * @return a future of the version, empty when Redis did not answer in time
	 */
	public CompletableFuture<Optional<String>> serverVersion() {
		Link link = this.runtime.connector.link();
		if (!this.runtime.running || link == null) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		return link.send((r) -> r.info("server")).handle((info, ex) -> {
			if (ex != null || info == null) {
				return Optional.<String>empty();
			}
			return info.lines()
				.filter((line) -> line.startsWith("redis_version:"))
				.map((line) -> line.substring("redis_version:".length()).strip())
				.findFirst();
		});
	}

	/**
	 * Whether a circuit breaker is currently short-circuiting calls (on a cluster: the shared one,
	 * or that of any master).
	 * @return {@code true} while a circuit is open
	 */
	public boolean isCircuitOpen() {
		return this.runtime.breakers.isAnyOpen();
	}

	@Override
	public String toString() {
		return "RedisCacheBackend[" + this.runtime.target + ", prefix=" + this.runtime.keys.prefix() + ", "
				+ this.runtime.mode + "]";
	}

	private static final class View<U> extends BlockingCacheBackend<U> {

		private final AsyncRedisCacheBackend<U> async;

		View(AsyncRedisCacheBackend.Runtime runtime, CacheSerializer<U> serializer) {
			this.async = new AsyncRedisCacheBackend<>(runtime, serializer, (a) -> this);
		}

		@Override
		AsyncRedisCacheBackend<U> asyncImpl() {
			return this.async;
		}

		@Override
		public AsyncCacheBackend<U> async() {
			return this.async;
		}

	}

	/**
	 * Builds a {@link RedisCacheBackend}. Every setting has a default except the URL; arguments
	 * are checked here, with messages naming the setting.
	 *
	 * @param <T> the value type, set by {@link #serializer(CacheSerializer)}
	 */
	public static final class Builder<T> {

		private final String redisUrl;

		private CacheSerializer<T> serializer;

		private String prefix = DEFAULT_PREFIX;

		private Duration defaultTtl = DEFAULT_TTL;

		private FailureMode failureMode = FailureMode.FAIL_OPEN;

		private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration shutdownTimeout = Duration.ofSeconds(2);

		private @Nullable String clientName;

		private @Nullable SslVerifyMode sslVerifyMode;

		private Consumer<ClientOptions.Builder> clientOptions = (options) -> {
		};

		private @Nullable ClientResources clientResources;

		private boolean cluster;

		private @Nullable String sentinelUsername;

		private char @Nullable [] sentinelPassword;

		private int breakerThreshold = 3;

		private Duration breakerOpenDuration = Duration.ofSeconds(1);

		private Duration failureLogInterval = Duration.ofSeconds(10);

		private boolean deleteUnreadableEntries = true;

		private OperationListener listener = OperationListener.NONE;

		private Executor decodeExecutor = ForkJoinPool.commonPool();

		private Builder(String redisUrl, CacheSerializer<T> serializer) {
			this.redisUrl = redisUrl;
			this.serializer = serializer;
		}

		@SuppressWarnings("unchecked")
		private <U> Builder<U> self() {
			return (Builder<U>) this;
		}

		/**
		 * The serializer for values; the default is {@code CacheSerializers.json()}.
		 * @param <U> the value type
		 * @param serializer the value serializer
		 * @return this builder, for values of the serializer's type
		 */
		public <U> Builder<U> serializer(CacheSerializer<U> serializer) {
			Builder<U> next = self();
			next.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
			return next;
		}

		/**
		 * The prefix of every key (default {@code cache:}); must not be empty, so clear() stays inside it.
		 * @param prefix the key prefix
		 * @return this builder
		 */
		public Builder<T> prefix(String prefix) {
			if (prefix == null || prefix.isEmpty()) {
				throw new IllegalArgumentException("prefix must not be empty: clear() and invalidatePattern() rely on it");
			}
			this.prefix = prefix;
			return this;
		}

		/**
		 * TTL of entries written without one (default 1 hour); {@code ZERO} means no expiry.
		 * @param defaultTtl the default TTL
		 * @return this builder
		 */
		public Builder<T> defaultTtl(Duration defaultTtl) {
			Keys.ttlMillis(Objects.requireNonNull(defaultTtl, "defaultTtl must not be null"), "defaultTtl", 0);
			this.defaultTtl = defaultTtl;
			return this;
		}

		/**
		 * What an outage does to callers (default {@link FailureMode#FAIL_OPEN}).
		 * @param failureMode the failure mode
		 * @return this builder
		 */
		public Builder<T> failureMode(FailureMode failureMode) {
			this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
			return this;
		}

		/**
		 * How long one command may take (default 500 ms): a command unanswered by then fails with
		 * {@code TIMEOUT}. Operations made of several commands ({@code clear} and
		 * {@code invalidatePattern} page by page, a script's first run) bound each of them.
		 * @param commandTimeout the command timeout
		 * @return this builder
		 */
		public Builder<T> commandTimeout(Duration commandTimeout) {
			this.commandTimeout = positive(commandTimeout, "commandTimeout");
			return this;
		}

		/**
		 * How long establishing a connection may take (default 2 s).
		 * @param connectTimeout the connect timeout
		 * @return this builder
		 */
		public Builder<T> connectTimeout(Duration connectTimeout) {
			this.connectTimeout = positive(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * How long {@link RedisCacheBackend#shutdown()} waits for calls in flight (default 2 s).
		 * @param shutdownTimeout the shutdown timeout
		 * @return this builder
		 */
		public Builder<T> shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
			return this;
		}

		/**
		 * The CLIENT SETNAME of the connection.
		 * @param clientName the client name, or {@code null} for none
		 * @return this builder
		 */
		public Builder<T> clientName(@Nullable String clientName) {
			this.clientName = clientName;
			return this;
		}

		/**
		 * How a TLS ({@code rediss://}) peer is verified (Lettuce's default: FULL).
		 * @param sslVerifyMode the verify mode, or {@code null} for Lettuce's
		 * @return this builder
		 */
		public Builder<T> sslVerifyMode(@Nullable SslVerifyMode sslVerifyMode) {
			this.sslVerifyMode = sslVerifyMode;
			return this;
		}

		/**
		 * Adjusts Lettuce's client options after CacheKit set its own (socket options with TCP
		 * keepalive, reject commands while disconnected, cluster topology refresh, Lettuce's
		 * per-command timers off: CacheKit bounds every command by {@link #commandTimeout(Duration)}
		 * itself, and for a single server or Sentinel Lettuce's auto-reconnect off: CacheKit
		 * replaces a lost, silent or out-of-step connection itself). For a cluster the builder is a
		 * {@code ClusterClientOptions.Builder}.
		 * @param customizer adjusts the client options
		 * @return this builder
		 */
		public Builder<T> clientOptions(Consumer<ClientOptions.Builder> customizer) {
			this.clientOptions = this.clientOptions.andThen(Objects.requireNonNull(customizer, "clientOptions must not be null"));
			return this;
		}

		/**
		 * Lettuce client resources to share; they are not shut down with the backend.
		 * @param clientResources the resources, or {@code null} for the backend's own
		 * @return this builder
		 */
		public Builder<T> clientResources(@Nullable ClientResources clientResources) {
			this.clientResources = clientResources;
			return this;
		}

		/**
		 * Whether the URL's hosts are seeds of a Redis Cluster (implied by several comma-separated hosts).
		 * @param cluster whether the hosts are cluster seeds
		 * @return this builder
		 */
		public Builder<T> cluster(boolean cluster) {
			this.cluster = cluster;
			return this;
		}

		/**
		 * Credentials of the Sentinel nodes themselves (their {@code requirepass} or ACL user),
		 * for a {@code redis-sentinel://} URL. The URL's own credentials are the data nodes'; its
		 * syntax has no place for the sentinels'.
		 * @param username the ACL user, or {@code null} for {@code requirepass}
		 * @param password the password; never shown in logs, messages or {@code toString()}
		 * @return this builder
		 * @throws IllegalArgumentException when the URL is not a {@code redis-sentinel://} one
		 */
		public Builder<T> sentinelCredentials(@Nullable String username, CharSequence password) {
			Objects.requireNonNull(password, "sentinel password must not be null");
			RedisTarget.checkSentinel(this.redisUrl);
			this.sentinelUsername = (username != null && !username.isEmpty()) ? username : null;
			this.sentinelPassword = password.toString().toCharArray();
			return this;
		}

		/**
		 * Opens the circuit after {@code failureThreshold} consecutive connection failures or
		 * timeouts, for {@code openDuration} (defaults 3 and 1 s); a threshold of 0 disables it. On a
		 * cluster each master has a circuit of its own for calls on one key, so a lost master cuts
		 * off its own slots only; a new connection closes every circuit.
		 * @param failureThreshold consecutive failures that open the circuit; 0 disables it
		 * @param openDuration how long the circuit stays open
		 * @return this builder
		 */
		public Builder<T> circuitBreaker(int failureThreshold, Duration openDuration) {
			if (failureThreshold < 0) {
				throw new IllegalArgumentException("failureThreshold must not be negative but was " + failureThreshold);
			}
			this.breakerThreshold = failureThreshold;
			this.breakerOpenDuration = positive(openDuration, "openDuration");
			return this;
		}

		/**
		 * At most one WARN per error code per interval (default 10 s).
		 * @param interval the interval
		 * @return this builder
		 */
		public Builder<T> failureLogInterval(Duration interval) {
			this.failureLogInterval = positive(interval, "failureLogInterval");
			return this;
		}

		/**
		 * Whether a stored value that cannot be read is deleted when read in fail-open mode (default true).
		 * @param delete whether to delete them
		 * @return this builder
		 */
		public Builder<T> deleteUnreadableEntries(boolean delete) {
			this.deleteUnreadableEntries = delete;
			return this;
		}

		/**
		 * Where the non-blocking face decodes values read by {@code get} and {@code getMany}
		 * (default: the common {@link ForkJoinPool}). Never Lettuce's I/O thread, where a large or
		 * hostile value would hold up every other command; the blocking face decodes on the calling
		 * thread, which waits anyway.
		 * @param decodeExecutor where values are decoded
		 * @return this builder
		 */
		public Builder<T> decodeExecutor(Executor decodeExecutor) {
			this.decodeExecutor = Objects.requireNonNull(decodeExecutor, "decodeExecutor must not be null");
			return this;
		}

		/**
		 * Told about every operation, for metrics.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder<T> listener(OperationListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		/**
		 * Builds the backend (without connecting: call {@link RedisCacheBackend#initialize()}).
		 * @return a new backend, not yet initialized
		 * @throws IllegalArgumentException when the URL is not a valid Redis URL (credentials masked)
		 */
		public RedisCacheBackend<T> build() {
			RedisTarget target = RedisTarget.parse(this.redisUrl, this.cluster);
			char[] password = this.sentinelPassword;
			if (password != null) {
				target.authenticateSentinels(this.sentinelUsername, password);
			}
			return new RedisCacheBackend<>(this, target);
		}

		private static Duration positive(Duration value, String name) {
			if (value == null) {
				throw new IllegalArgumentException(name + " must not be null");
			}
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive but was " + value);
			}
			return value;
		}

	}

}
