package io.cachekit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.LayeredCacheBackend;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.internal.Engine;
import io.lettuce.core.RedisURI;

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
 * A backend is a stack ({@link LayeredCacheBackend}): the Redis engine at the bottom and the
 * builder's {@linkplain RedisCacheBackendBuilder#layer(CacheLayer) layers} over it, each speaking
 * the same contract; this class adds the lifecycle and the diagnostics. The first call made before {@link #initialize()} initializes the backend on the spot
 * (once, bounded by the connect timeout), so a bean may warm a cache while the application starts;
 * calls after {@link #shutdown()} throw {@code CacheException(NOT_RUNNING)}. In fail-open mode an
 * unreachable Redis at start-up does not fail {@code initialize()}: the backend answers misses
 * and connects in the background.
 *
 * @param <T> the value type
 */
public final class RedisCacheBackend<T> extends LayeredCacheBackend<T> implements AutoCloseable {

	private final Engine engine;

	private final Duration shutdownTimeout;

	private final RedisDiagnostics diagnostics;

	RedisCacheBackend(Engine engine, CacheSerializer<T> serializer, List<CacheLayer> layers, Duration shutdownTimeout) {
		super(new EngineStack(engine), serializer, layers);
		this.engine = engine;
		this.shutdownTimeout = shutdownTimeout;
		this.diagnostics = new EngineDiagnostics(engine);
	}

	/**
	 * Starts building a backend for {@code redisUrl}, with JSON values of any JDK value type.
	 * @param redisUrl where Redis is (see the README's connection URLs)
	 * @return a builder
	 */
	public static RedisCacheBackendBuilder<Object> builder(String redisUrl) {
		return new RedisCacheBackendBuilder<>(RedisConnection.url(redisUrl), CacheSerializers.json());
	}

	/**
	 * Starts building a backend for a single server, a unix socket or a Sentinel-managed master
	 * as Lettuce describes it ({@link RedisConnection#of(RedisURI)}), with JSON values of any JDK
	 * value type.
	 * @param redisUri where Redis is
	 * @return a builder
	 */
	public static RedisCacheBackendBuilder<Object> builder(RedisURI redisUri) {
		return builder(RedisConnection.of(redisUri));
	}

	/**
	 * Starts building a backend for {@code connection}, with JSON values of any JDK value type.
	 * @param connection where Redis is and how to reach it
	 * @return a builder
	 */
	public static RedisCacheBackendBuilder<Object> builder(RedisConnection connection) {
		return new RedisCacheBackendBuilder<>(Objects.requireNonNull(connection, "connection must not be null"),
				CacheSerializers.json());
	}

	/**
	 * {@code backend} when it is a {@code RedisCacheBackend} (not a view or a decorator of one),
	 * for code that shows what only Redis has (diagnostics, the server version) and otherwise
	 * speaks the contract.
	 * @param backend any backend
	 * @return the backend as a Redis one, or empty
	 */
	public static Optional<RedisCacheBackend<?>> of(CacheBackend<?> backend) {
		return (backend instanceof RedisCacheBackend<?> redis) ? Optional.of(redis) : Optional.empty();
	}

	/**
	 * Connects to Redis. Idempotent. In fail-fast mode an unreachable Redis throws
	 * {@code CacheException(CONNECTION)}; in fail-open mode it is logged and retried in the
	 * background while calls answer as in an outage.
	 */
	public void initialize() {
		this.engine.start();
	}

	/**
	 * Stops taking calls, waits until the calls in flight are answered (up to the shutdown
	 * timeout), then closes the connection and the client's threads. Idempotent.
	 */
	public void shutdown() {
		this.engine.stop(this.shutdownTimeout);
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
		return this.engine.isRunning();
	}

	/** The engine under the layers (for tests of its insides). */
	Engine engine() {
		return this.engine;
	}

	/**
	 * What health checks and metrics ask: connection, circuits, failure counts, server version.
	 * @return this backend's diagnostics
	 */
	public RedisDiagnostics diagnostics() {
		return this.diagnostics;
	}

	/**
	 * {@inheritDoc}
	 * <p>Its lifecycle is this backend's.
	 */
	@Override
	public <U> RedisCacheView<U> withSerializer(CacheSerializer<U> serializer) {
		return (RedisCacheView<U>) super.withSerializer(serializer);
	}

	/**
	 * {@inheritDoc}
	 * <p>Its lifecycle is this backend's.
	 */
	@Override
	public <U> RedisCacheView<U> withSerializer(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		return (RedisCacheView<U>) super.withSerializer(serializer, layers);
	}

	@Override
	protected <U> RedisCacheView<U> view(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		return new RedisCacheView<>(this, serializer, layers);
	}

	/**
	 * How long one Redis command may take.
	 * @return the command timeout
	 */
	public Duration getCommandTimeout() {
		return this.engine.settings().commandTimeout();
	}

	@Override
	public String toString() {
		return "RedisCacheBackend[" + getTarget() + ", prefix=" + getPrefix() + ", " + getFailureMode() + "]";
	}

}
