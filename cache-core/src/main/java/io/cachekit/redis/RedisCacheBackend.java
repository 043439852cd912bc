package io.cachekit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.AwaitingCacheBackend;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
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
 * A backend is a stack: the Redis engine at the bottom and the builder's
 * {@linkplain RedisCacheBackendBuilder#layer(CacheLayer) layers} over it, each speaking the same
 * contract. The first call made before {@link #initialize()} initializes the backend on the spot
 * (once, bounded by the connect timeout), so a bean may warm a cache while the application starts;
 * calls after {@link #shutdown()} throw {@code CacheException(NOT_RUNNING)}. In fail-open mode an
 * unreachable Redis at start-up does not fail {@code initialize()}: the backend answers misses
 * and connects in the background.
 *
 * @param <T> the value type
 */
public final class RedisCacheBackend<T> extends AwaitingCacheBackend<T> implements AutoCloseable {

	private final Engine engine;

	private final List<CacheLayer> layers;

	private final Duration shutdownTimeout;

	private final RedisDiagnostics diagnostics;

	RedisCacheBackend(Engine engine, CacheSerializer<T> serializer, List<CacheLayer> layers, Duration shutdownTimeout) {
		super(stack(engine, serializer, layers), engine.settings().commandTimeout(), engine.settings().failureMode(),
				engine.target());
		this.engine = engine;
		this.layers = List.copyOf(layers);
		this.shutdownTimeout = shutdownTimeout;
		this.diagnostics = new EngineDiagnostics(engine);
	}

	/** The engine's level for {@code serializer}, with {@code layers} over it, in order. */
	static <U> CacheLevel<U> stack(Engine engine, CacheSerializer<U> serializer, List<CacheLayer> layers) {
		CacheLevel<U> level = engine.level(serializer);
		StackContext<U> context = new StackContext<>(engine, serializer);
		for (CacheLayer layer : layers) {
			level = Objects.requireNonNull(layer.over(level, context), () -> layer + " answered no level");
		}
		return level;
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
	 * A view of this backend with another serializer: same connection, prefix, TTL, failure
	 * policy and layers, so {@code backend.withSerializer(CacheSerializers.json(Product.class))}
	 * gives a {@code CacheBackend<Product>} without casts. Its lifecycle is this backend's.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @return a view of this backend with {@code serializer}
	 */
	public <U> RedisCacheView<U> withSerializer(CacheSerializer<U> serializer) {
		return withSerializer(serializer, this.layers);
	}

	/**
	 * A view of this backend with another serializer and its own layers (instead of the
	 * builder's), over the same engine. Its lifecycle is this backend's.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @param layers the layers of the view, lowest first
	 * @return a view of this backend with {@code serializer} and {@code layers}
	 */
	public <U> RedisCacheView<U> withSerializer(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		Objects.requireNonNull(serializer, "serializer must not be null");
		Objects.requireNonNull(layers, "layers must not be null");
		return new RedisCacheView<>(this, stack(this.engine, serializer, layers));
	}

	/**
	 * The Redis URL with credentials masked.
	 * @return the masked URL
	 */
	public String getTarget() {
		return this.engine.target();
	}

	/**
	 * The prefix of every key this backend writes.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.engine.settings().prefix();
	}

	/**
	 * What an outage does to callers.
	 * @return the failure mode
	 */
	public FailureMode getFailureMode() {
		return this.engine.settings().failureMode();
	}

	/**
	 * The TTL of entries written without one.
	 * @return the default TTL ({@code ZERO}: no expiry)
	 */
	public Duration getDefaultTtl() {
		return this.engine.settings().defaultTtl();
	}

	/**
	 * How long one Redis command may take.
	 * @return the command timeout
	 */
	public Duration getCommandTimeout() {
		return this.engine.settings().commandTimeout();
	}

	/**
	 * The layers over the engine, lowest first.
	 * @return the builder's layers
	 */
	public List<CacheLayer> getLayers() {
		return this.layers;
	}

	@Override
	public String toString() {
		return "RedisCacheBackend[" + getTarget() + ", prefix=" + getPrefix() + ", " + getFailureMode() + "]";
	}

}
