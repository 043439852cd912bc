package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

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

/** How the builder stacks layers over the engine, for the backend and for its views. */
class StackTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private RedisCacheBackend<Object> backend;

	@AfterEach
	void close() {
		if (this.backend != null) {
			this.backend.clear();
			this.backend.shutdown();
		}
	}

	private RedisCacheBackend<Object> backend(CacheLayer... layers) {
		RedisCacheBackendBuilder<Object> builder = RedisCacheBackend.builder(redis.url()).prefix("stack:");
		for (CacheLayer layer : layers) {
			builder.layer(layer);
		}
		this.backend = builder.build();
		this.backend.initialize();
		return this.backend;
	}

	@Test
	void layersApplyLowestFirstSoTheLastAddedSeesACallFirst() {
		RedisCacheBackend<Object> cache = backend(new Recording("near", this.calls), new Recording("loading", this.calls));
		cache.get("k");
		assertThat(this.calls).containsExactly("loading get", "near get");
		assertThat(cache.getLayers()).hasSize(2);
	}

	@Test
	void aViewWithLayersOfItsOwnGoesThroughThoseOnly() {
		RedisCacheBackend<Object> cache = backend(new Recording("backend", this.calls));
		CacheBackend<String> plain = cache.withSerializer(CacheSerializers.string(), List.of());
		CacheBackend<String> own = cache.withSerializer(CacheSerializers.string(), List.of(new Recording("view", this.calls)));
		assertThat(plain.set("k", "v")).isTrue();
		assertThat(this.calls).isEmpty();
		assertThat(own.get("k")).contains("v");
		assertThat(this.calls).containsExactly("view get");
		this.calls.clear();
		assertThat(cache.withSerializer(CacheSerializers.string()).get("k")).contains("v");
		assertThat(this.calls).containsExactly("backend get");
	}

	@Test
	void aLayerThatAnswersNoLevelIsRefusedNamingIt() {
		CacheLayer broken = new CacheLayer() {

			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				return null;
			}

			@Override
			public String toString() {
				return "BrokenLayer";
			}

		};
		assertThatThrownBy(() -> RedisCacheBackend.builder(redis.url()).layer(broken).build())
			.isInstanceOf(NullPointerException.class)
			.hasMessageContaining("BrokenLayer answered no level");
	}

	@Test
	void aLayerIsToldTheEnginesSettings() {
		List<LayerContext<?>> seen = new CopyOnWriteArrayList<>();
		CacheLayer spy = new CacheLayer() {

			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				seen.add(context);
				return below;
			}

		};
		this.backend = RedisCacheBackend.builder(redis.url()).prefix("stack:").commandTimeout(Duration.ofMillis(700))
			.layer(spy).build();
		assertThat(seen).singleElement().satisfies((context) -> {
			assertThat(context.prefix()).isEqualTo("stack:");
			assertThat(context.commandTimeout()).isEqualTo(Duration.ofMillis(700));
			assertThat(context.target()).isEqualTo(this.backend.getTarget());
			assertThat(context.service(Object.class)).isEmpty();
		});
	}

	/** Records each get handed through it. */
	private record Recording(String name, List<String> calls) implements CacheLayer {

		@Override
		public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
			return new ForwardingCacheLevel<>(below, context) {

				@Override
				public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
					Recording.this.calls.add(Recording.this.name + " get");
					return super.get(key, decodeOn);
				}

			};
		}

	}

}
