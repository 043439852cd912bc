package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.test.RedisExtension;

/**
 * The contract on a single Redis server through a stack of two pass-through layers over the
 * engine, assembled by the builder: a stack of levels answers as the engine does, on both faces
 * and for views.
 */
class LayeredContractTest extends RedisBackendContractTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private final AtomicLong lower = new AtomicLong();

	private final AtomicLong upper = new AtomicLong();

	@Override
	protected String redisUrl() {
		return redis.url();
	}

	@Override
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder.layer(new Counting(this.lower)).layer(new Counting(this.upper));
	}

	@AfterEach
	void everyCallWentThroughBothLayers() {
		assertThat(this.upper.get()).as("calls through the upper layer").isEqualTo(this.lower.get());
	}

	@Test
	void callsOfBothFacesAndOfViewsGoThroughEveryLayer() {
		// a builder that dropped its layers would pass the contract without this
		CacheBackend<Object> backend = this.backend;
		backend.set("layered", "v");
		assertThat(backend.get("layered")).contains("v");
		assertThat(backend.async().get("layered").join()).contains("v");
		CacheBackend<String> view = withSerializer(backend, CacheSerializers.string());
		assertThat(view.get("layered")).isPresent();
		assertThat(this.lower.get()).isEqualTo(4);
		assertThat(this.upper.get()).isEqualTo(4);
	}

	/** A layer that only counts the gets and sets handed through it. */
	private record Counting(AtomicLong calls) implements CacheLayer {

		@Override
		public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
			return new ForwardingCacheLevel<>(below, context) {

				@Override
				public CompletableFuture<Optional<T>> get(String key) {
					Counting.this.calls.incrementAndGet();
					return super.get(key);
				}

				@Override
				public CompletableFuture<Optional<T>> get(String key,
						Executor decodeOn) {
					Counting.this.calls.incrementAndGet();
					return super.get(key, decodeOn);
				}

				@Override
				public CompletableFuture<Boolean> set(String key, T value,
						@Nullable Duration ttl) {
					Counting.this.calls.incrementAndGet();
					return super.set(key, value, ttl);
				}

			};
		}

	}

}
