package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.test.RedisExtension;

/**
 * {@code CacheLevel.getNow}, the blocking face's fast path: a near cache answers a held entry at
 * once, a layer passes it down only when its reads are the level below's, and a layer that
 * changes reads is never bypassed.
 */
class GetNowTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private RedisCacheBackend<String> backend;

	@AfterEach
	void close() {
		if (this.backend != null) {
			this.backend.clear();
			this.backend.close();
		}
	}

	private RedisCacheBackend<String> backend(CacheLayer... layers) {
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(redis.url())
			.serializer(CacheSerializers.string())
			.prefix("getnow:");
		for (CacheLayer layer : layers) {
			builder.layer(layer);
		}
		this.backend = builder.build();
		this.backend.initialize();
		return this.backend;
	}

	@Test
	void theEngineAndAMissOfTheNearCacheHaveNothingToAnswerNow() {
		Captured engine = new Captured(false);
		Captured overNear = new Captured(false);
		RedisCacheBackend<String> cache = backend(engine, NearCache.defaults().layer(), overNear);
		cache.set("k", "v");
		assertThat(engine.belowNow("k")).isNull();
		assertThat(overNear.now("k")).as("not read yet, so not held").isNull();
		assertThat(overNear.now(null)).isNull();
	}

	@Test
	void aHeldEntryIsAnsweredNowAndCountedAsAHit() {
		NearCacheLayer near = NearCache.defaults().layer();
		Captured overNear = new Captured(false);
		RedisCacheBackend<String> cache = backend(near, overNear);
		cache.set("k", "v");
		assertThat(cache.get("k")).contains("v");
		long hits = near.stats().hits();
		assertThat(overNear.now("k")).as("passed down to the near cache").isEqualTo(Optional.of("v"));
		assertThat(cache.get("k")).contains("v");
		assertThat(near.stats().hits()).isEqualTo(hits + 2);
		cache.delete("k");
		assertThat(overNear.now("k")).as("dropped by the backend's own write").isNull();
		assertThat(cache.get("k")).isEmpty();
	}

	@Test
	void aLayerThatChangesReadsIsNotBypassedByANearHit() {
		Captured upper = new Captured(true);
		RedisCacheBackend<String> cache = backend(NearCache.defaults().layer(), upper);
		cache.set("k", "v");
		assertThat(cache.get("k")).contains("v!");
		assertThat(upper.now("k")).isNull();
		assertThat(cache.get("k")).as("the second read, a near hit, still goes through the layer").contains("v!");
		assertThat(this.calls).containsExactly("get", "get");
	}

	/** Captures the level it makes; with {@code changesReads}, its reads answer the value with a "!". */
	private final class Captured implements CacheLayer {

		final boolean changesReads;

		final AtomicReference<CacheLevel<?>> level = new AtomicReference<>();

		final AtomicReference<CacheLevel<?>> below = new AtomicReference<>();

		Captured(boolean changesReads) {
			this.changesReads = changesReads;
		}

		@Nullable Object now(@Nullable String key) {
			return this.level.get().getNow(key);
		}

		@Nullable Object belowNow(String key) {
			return this.below.get().getNow(key);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
			CacheLevel<T> made = this.changesReads ? new ForwardingCacheLevel<>(below, context) {
				@Override
				public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
					GetNowTest.this.calls.add("get");
					return super.get(key, decodeOn).thenApply((found) -> found.map((v) -> (T) (v + "!")));
				}
			} : new ForwardingCacheLevel<>(below, context) {
			};
			this.below.set(below);
			this.level.set(made);
			return made;
		}

	}

}
