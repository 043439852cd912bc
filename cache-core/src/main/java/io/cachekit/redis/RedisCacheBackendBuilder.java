package io.cachekit.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.LayeredCacheBackendBuilder;
import io.cachekit.near.NearCache;
import io.cachekit.redis.internal.DecodeThreads;
import io.cachekit.redis.internal.Engine;
import io.cachekit.redis.internal.EngineSettings;
import io.cachekit.redis.internal.RedisTarget;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;

/**
 * Builds a {@link RedisCacheBackend}: {@link RedisCacheBackend#builder(String)} for a URL,
 * {@link RedisCacheBackend#builder(io.lettuce.core.RedisURI)} for a Lettuce URI, or
 * {@link RedisCacheBackend#builder(RedisConnection)} for a connection with its TLS material and
 * Sentinel credentials. Every setting has a default ({@link CacheDefaults}) except the
 * connection; arguments are checked here, with messages naming the setting.
 *
 * @param <T> the value type, set by {@link #serializer(CacheSerializer)}
 */
public final class RedisCacheBackendBuilder<T> extends LayeredCacheBackendBuilder<T, RedisCacheBackendBuilder<T>> {

	private RedisConnection connection;

	private Duration commandTimeout = CacheDefaults.COMMAND_TIMEOUT;

	private Duration connectTimeout = CacheDefaults.CONNECT_TIMEOUT;

	private Duration shutdownTimeout = CacheDefaults.SHUTDOWN_TIMEOUT;

	private @Nullable String clientName;

	private @Nullable SslVerifyMode sslVerifyMode;

	private Consumer<ClientOptions.Builder> clientOptions = (options) -> {
	};

	private @Nullable ClientResources clientResources;

	private int breakerThreshold = CacheDefaults.BREAKER_FAILURE_THRESHOLD;

	private Duration breakerOpenDuration = CacheDefaults.BREAKER_OPEN_DURATION;

	private Duration failureLogInterval = CacheDefaults.FAILURE_LOG_INTERVAL;

	private OperationListener listener = OperationListener.NONE;

	private Executor decodeExecutor = DecodeThreads.shared();

	RedisCacheBackendBuilder(RedisConnection connection, CacheSerializer<T> serializer) {
		super(serializer);
		this.connection = connection;
	}

	/**
	 * The serializer for values; the default is {@code CacheSerializers.json()}.
	 * @param <U> the value type
	 * @param serializer the value serializer
	 * @return this builder, for values of the serializer's type
	 */
	public <U> RedisCacheBackendBuilder<U> serializer(CacheSerializer<U> serializer) {
		return retyped(serializer);
	}

	/**
	 * How long one command may take (default 500 ms): a command unanswered by then fails with
	 * {@code TIMEOUT}. Operations made of several commands ({@code clear} and
	 * {@code invalidatePattern} page by page, a script's first run) bound each of them.
	 * @param commandTimeout the command timeout
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> commandTimeout(Duration commandTimeout) {
		this.commandTimeout = positive(commandTimeout, "commandTimeout");
		return this;
	}

	/**
	 * How long establishing a connection may take (default 2 s).
	 * @param connectTimeout the connect timeout
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> connectTimeout(Duration connectTimeout) {
		this.connectTimeout = positive(connectTimeout, "connectTimeout");
		return this;
	}

	/**
	 * How long {@link RedisCacheBackend#shutdown()} waits for calls in flight (default 2 s).
	 * @param shutdownTimeout the shutdown timeout
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
		return this;
	}

	/**
	 * The CLIENT SETNAME of the connection.
	 * @param clientName the client name, or {@code null} for none
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> clientName(@Nullable String clientName) {
		this.clientName = clientName;
		return this;
	}

	/**
	 * How a TLS ({@code rediss://}) peer is verified (Lettuce's default: FULL).
	 * @param sslVerifyMode the verify mode, or {@code null} for Lettuce's
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> sslVerifyMode(@Nullable SslVerifyMode sslVerifyMode) {
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
	public RedisCacheBackendBuilder<T> clientOptions(Consumer<ClientOptions.Builder> customizer) {
		this.clientOptions = this.clientOptions.andThen(Objects.requireNonNull(customizer, "clientOptions must not be null"));
		return this;
	}

	/**
	 * Lettuce client resources to share; they are not shut down with the backend. The backend's
	 * own resources consolidate the flushes of concurrent callers; resources built with
	 * {@link CacheKitClientResources#builder()} do too, others are used as they are.
	 * @param clientResources the resources, or {@code null} for the backend's own
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> clientResources(@Nullable ClientResources clientResources) {
		this.clientResources = clientResources;
		return this;
	}

	/**
	 * Whether the URL's hosts are seeds of a Redis Cluster (implied by several comma-separated hosts).
	 * @param cluster whether the hosts are cluster seeds
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> cluster(boolean cluster) {
		this.connection = this.connection.asCluster(cluster);
		return this;
	}

	/**
	 * Connects over TLS with this material (key and trust managers, protocols, ciphers); see
	 * {@link RedisConnection#withSsl(SslOptions)}.
	 * @param sslOptions Lettuce's TLS options
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> ssl(SslOptions sslOptions) {
		this.connection = this.connection.withSsl(sslOptions);
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
	public RedisCacheBackendBuilder<T> sentinelCredentials(@Nullable String username, CharSequence password) {
		this.connection = this.connection.withSentinelCredentials(username, password);
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
	public RedisCacheBackendBuilder<T> circuitBreaker(int failureThreshold, Duration openDuration) {
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
	public RedisCacheBackendBuilder<T> failureLogInterval(Duration interval) {
		this.failureLogInterval = positive(interval, "failureLogInterval");
		return this;
	}

	/**
	 * Where the non-blocking face decodes values read by {@code get} and {@code getMany}
	 * (default: a pool of CacheKit's own, as many threads as the machine has processors and at
	 * least two). Values of more than 4 KiB, and every value of a serializer other than CacheKit's
	 * JSON, string and bytes ones, are decoded here rather than on Lettuce's I/O thread, where a
	 * large or hostile value would hold up every other reply; smaller values of those serializers
	 * are decoded where their reply arrives, which costs less than handing them over. The blocking
	 * face decodes on the calling thread, which waits anyway.
	 * @param decodeExecutor where values are decoded
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> decodeExecutor(Executor decodeExecutor) {
		this.decodeExecutor = Objects.requireNonNull(decodeExecutor, "decodeExecutor must not be null");
		return this;
	}

	/**
	 * Told about every operation, for metrics.
	 * @param listener the listener
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> listener(OperationListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		return this;
	}

	/**
	 * Adds a near cache with {@code settings} (see {@link NearCache}): the same as
	 * {@code layer(settings.layer())}. On a single server, through Sentinel and on a Redis
	 * Cluster (tracking on every master it reads from).
	 * @param settings the near cache's settings
	 * @return this builder
	 */
	public RedisCacheBackendBuilder<T> nearCache(NearCache settings) {
		return layer(Objects.requireNonNull(settings, "settings must not be null").layer());
	}

	/**
	 * Builds the backend (without connecting: call {@link RedisCacheBackend#initialize()}).
	 * @return a new backend, not yet initialized
	 * @throws IllegalArgumentException when the URL is not a valid Redis URL (credentials masked)
	 */
	@Override
	public RedisCacheBackend<T> build() {
		RedisTarget target = this.connection.target();
		EngineSettings settings = new EngineSettings(target, this.clientName, this.sslVerifyMode, this.clientOptions,
				this.clientResources, this.connectTimeout, this.commandTimeout, prefix(), defaultTtl(), failureMode(),
				this.breakerThreshold, this.breakerOpenDuration, this.failureLogInterval, deleteUnreadableEntries(),
				this.listener, this.decodeExecutor);
		return new RedisCacheBackend<>(new Engine(settings), serializer(), layers(), this.shutdownTimeout);
	}

	private static Duration positive(Duration value, String name) {
		return CacheArguments.positive(value, name);
	}

}
