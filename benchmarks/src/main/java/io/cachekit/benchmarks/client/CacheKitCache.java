package io.cachekit.benchmarks.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;

/**
 * CacheKit's {@link RedisCacheBackend} with its defaults (fail-open, 500 ms command timeout,
 * circuit breaker), built as the README shows. Three flavours:
 * <ul>
 * <li>{@code cachekit}: the blocking face with a typed JSON serializer,
 * {@code CacheSerializers.json(Product.class)};</li>
 * <li>{@code cachekit-async}: the same backend through {@code backend.async()}, each future
 * joined (for the async scenario it is not joined one by one);</li>
 * <li>{@code cachekit-object}: the blocking face with the default kind of serializer,
 * {@code CacheSerializers.json(trustedPackages)}, which records each value's class.</li>
 * </ul>
 */
final class CacheKitCache implements BenchCache {

	/** Which face of the backend a call goes through. */
	enum Face {
		SYNC, ASYNC
	}

	/**
	 * Diagnostic, not a shipped configuration: CacheKit's blocking face on a
	 * {@code CacheSerializers.bytes()} view, with Jackson run by the calling thread. Shows what
	 * CacheKit would gain if the blocking face decoded on the caller's thread instead of on
	 * Lettuce's I/O thread (where {@code AsyncRedisCacheBackend.run} applies the mapper).
	 */
	static final class CallerDecode implements BenchCache {

		private final CacheKitCache bytes;

		private final tools.jackson.databind.ObjectReader reader;

		private final tools.jackson.databind.ObjectWriter writer;

		@SuppressWarnings("unchecked")
		CallerDecode(String redisUrl, String prefix, Class<?> type) {
			this.bytes = new CacheKitCache(redisUrl, prefix,
					(CacheSerializer<Object>) (CacheSerializer<?>) CacheSerializers.bytes(), Face.SYNC, (b) -> b);
			tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
			this.reader = mapper.readerFor(type);
			this.writer = mapper.writerFor(type);
		}

		@Override
		public Object get(String key) {
			Object raw = this.bytes.get(key);
			return (raw != null) ? this.reader.readValue((byte[]) raw) : null;
		}

		@Override
		public boolean set(String key, Object value) {
			return this.bytes.set(key, this.writer.writeValueAsBytes(value));
		}

		@Override
		public Map<String, Object> getMany(List<String> keys) {
			Map<String, Object> raw = this.bytes.getMany(keys);
			Map<String, Object> decoded = new java.util.LinkedHashMap<>(raw.size() * 2);
			raw.forEach((k, v) -> decoded.put(k, this.reader.readValue((byte[]) v)));
			return decoded;
		}

		@Override
		public CompletableFuture<?> getAsync(String key) {
			return this.bytes.getAsync(key);
		}

		@Override
		public String redisKey(String key) {
			return this.bytes.redisKey(key);
		}

		@Override
		public void close() {
			this.bytes.close();
		}

	}

	private final RedisCacheBackend<Object> backend;

	/** What the blocking calls go through: the backend, or a decorator of it. */
	private final CacheBackend<Object> view;

	private final AsyncCacheBackend<Object> async;

	private final Face face;

	private final String prefix;

	CacheKitCache(String redisUrl, String prefix, CacheSerializer<Object> serializer, Face face) {
		this(redisUrl, prefix, serializer, face, (builder) -> builder);
	}

	CacheKitCache(String redisUrl, String prefix, CacheSerializer<Object> serializer, Face face,
			java.util.function.UnaryOperator<io.cachekit.redis.RedisCacheBackendBuilder<Object>> customizer) {
		this(redisUrl, prefix, serializer, face, customizer, java.util.function.UnaryOperator.identity());
	}

	CacheKitCache(String redisUrl, String prefix, CacheSerializer<Object> serializer, Face face,
			java.util.function.UnaryOperator<io.cachekit.redis.RedisCacheBackendBuilder<Object>> customizer,
			java.util.function.UnaryOperator<CacheBackend<Object>> decorator) {
		this.prefix = prefix;
		this.face = face;
		this.backend = customizer.apply(RedisCacheBackend.builder(redisUrl).serializer(serializer).prefix(prefix)).build();
		this.backend.initialize();
		this.view = decorator.apply(this.backend);
		this.async = this.view.async();
	}

	/**
	 * Observed as the starter observes a backend when the application has an
	 * {@code ObservationRegistry} and a {@code MeterRegistry} (Spring Boot's actuator): Boot's
	 * meter handlers in one first-match group, CacheKit's handler first (it records CacheKit's
	 * observations), then Micrometer's default handler (everything else).
	 */
	static CacheBackend<Object> observed(CacheBackend<Object> backend) {
		io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler(
					new io.cachekit.spring.observation.CacheKitMeterObservationHandler(meters, true),
					new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters)));
		return new io.cachekit.spring.observation.CacheKitObservations(registry, null, false).decorate(backend);
	}

	/** A typed serializer seen as one for {@code Object} (the benchmark only ever gives it {@code type}). */
	@SuppressWarnings("unchecked")
	static CacheSerializer<Object> typedJson(Class<?> type) {
		return (CacheSerializer<Object>) CacheSerializers.json(type);
	}

	/** The kind of serializer {@code RedisCacheBackend.builder(url)} uses, trusting the payload's package. */
	static CacheSerializer<Object> objectJson() {
		return CacheSerializers.json(List.of("io.cachekit.benchmarks"));
	}

	@Override
	public Object get(String key) {
		if (this.face == Face.ASYNC) {
			return this.async.get(key).join().orElse(null);
		}
		return this.view.get(key).orElse(null);
	}

	@Override
	public boolean set(String key, Object value) {
		if (this.face == Face.ASYNC) {
			return this.async.set(key, value, TTL).join();
		}
		return this.view.set(key, value, TTL);
	}

	@Override
	public Map<String, Object> getMany(List<String> keys) {
		if (this.face == Face.ASYNC) {
			return this.async.getMany(keys).join();
		}
		return this.view.getMany(keys);
	}

	@Override
	public CompletableFuture<?> getAsync(String key) {
		return this.async.get(key);
	}

	@Override
	public String redisKey(String key) {
		return this.prefix + key;
	}

	@Override
	public void close() {
		this.backend.close();
	}

}
