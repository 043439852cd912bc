package io.cachekit.inmemory;

import java.time.Clock;
import java.util.List;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.LayeredCacheBackend;
import io.cachekit.core.serialization.CacheSerializers;

/**
 * A {@link CacheBackend} in the JVM's memory, for tests of code that uses CacheKit: the same
 * contract as {@code RedisCacheBackend} (contract.md, and the same contract test suite), without a
 * Redis server.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * InMemoryCacheBackend<Product> products = InMemoryCacheBackend.builder()
 *     .serializer(CacheSerializers.json(Product.class))
 *     .clock(clock)
 *     .build();
 * products.set("p1", lamp, Duration.ofMinutes(10));
 * clock.advance(Duration.ofMinutes(11));
 * products.get("p1");                                  // empty: expired
 * }</pre>
 *
 * <p>A backend is a stack ({@link LayeredCacheBackend}), as a {@code RedisCacheBackend} is: the
 * in-memory engine at the bottom and the builder's {@linkplain InMemoryCacheBackendBuilder#layer(CacheLayer) layers} over it,
 * each speaking the same contract; this class is the blocking face of the stack (each operation
 * the stack's, awaited) and {@link #async()} its non-blocking face. The engine answers completed
 * futures: each call runs on the caller's thread, and an exception completes the future
 * exceptionally. It offers its layers no services.
 *
 * <p>What it keeps from Redis: keys are {@code prefix + key} in an {@link InMemoryStore} that
 * several backends may share; values are stored as the bytes the serializer wrote and read back
 * through it, so an unserializable value fails at {@code set}, and changing an object after
 * {@code set} does not change the cached value; TTLs (default, {@code ZERO} for none, negative
 * rejected, under a millisecond counted as one) follow the store's {@link Clock}; {@code add} is
 * set-if-absent; {@code invalidatePattern} and {@code clear} match Redis' glob syntax inside the
 * escaped prefix; {@code getMany} answers in request order; {@code setMany}, {@code getMany} and
 * {@code deleteMany} are atomic; counters start at {@code initial} and get their TTL only when
 * created; a counter on a non-integer value, a set operation on a string, or a string operation on
 * a set throws {@code CacheException(REDIS_ERROR)} with Redis' message; set members are strings, an emptied set is
 * removed; argument errors throw the same exceptions with the same messages. Stored bytes the
 * serializer cannot read are a miss (and deleted) in fail-open mode, and
 * {@code CacheSerializationException} in fail-fast mode.
 *
 * <p>What it does not model: the network and its failures (no connection loss, timeouts, circuit
 * breaker, reconnects; {@code ping()} is always {@code true}, the async face completes before it
 * returns), cluster hash slots ({@code setMany} is atomic as a whole, as on a single Redis; no
 * per-slot grouping or CROSSSLOT), SCAN paging (pattern deletion walks the keyspace at once),
 * memory limits and eviction policies, persistence and replication, Sentinel failover, the
 * {@code OperationListener} metrics, failure counters and logging of {@code RedisCacheBackend},
 * and lifecycle: there is nothing to {@code initialize()} or shut down. Expired keys are removed
 * when touched or when the keyspace is walked, not by a background sweep.
 *
 * @param <T> the value type
 */
public final class InMemoryCacheBackend<T> extends LayeredCacheBackend<T> {

	private final InMemoryEngine engine;

	private final AsyncCacheBackend<T> async;

	InMemoryCacheBackend(InMemoryEngine engine, CacheSerializer<T> serializer, List<CacheLayer> layers) {
		super(engine, serializer, layers);
		this.engine = engine;
		this.async = new AsyncInMemoryCacheBackend<>(level(), context(), this);
	}

	/**
	 * A backend with every default: its own store on the system clock, JSON values, prefix {@code cache:}, TTL 1 hour, fail-open.
	 * @return a new backend with its own store
	 */
	public static InMemoryCacheBackend<Object> create() {
		return builder().build();
	}

	/**
	 * Starts building a backend, with JSON values of any JDK value type (as {@code RedisCacheBackend.builder(url)}).
	 * @return a builder
	 */
	public static InMemoryCacheBackendBuilder<Object> builder() {
		return new InMemoryCacheBackendBuilder<>(CacheSerializers.json());
	}

	@Override
	protected <U> InMemoryCacheBackend<U> view(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		return new InMemoryCacheBackend<>(this.engine, serializer, layers);
	}

	/**
	 * Where the entries live: to inspect or plant raw entries, or to share with other backends.
	 * @return the store of this backend
	 */
	public InMemoryStore store() {
		return this.engine.store();
	}

	/**
	 * The non-blocking face of this backend's stack, whose {@code sync()} is this backend.
	 * @return the asynchronous view of this backend
	 */
	@Override
	public AsyncCacheBackend<T> async() {
		return this.async;
	}

	@Override
	public String toString() {
		return "InMemoryCacheBackend[prefix=" + getPrefix() + ", " + getFailureMode() + ", " + store() + "]";
	}

}
