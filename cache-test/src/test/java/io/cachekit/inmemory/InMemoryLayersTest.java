package io.cachekit.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.layer.LayeredCacheBackend;
import io.cachekit.core.serialization.CacheSerializers;

/** How the in-memory backend stacks layers on its engine, as {@code RedisCacheBackend} does. */
class InMemoryLayersTest {

	@Test
	void layersGoOnInTheOrderTheyWereAddedAndSeeTheEnginesContext() {
		List<CacheLevel<?>> belows = new ArrayList<>();
		List<LayerContext<?>> contexts = new ArrayList<>();
		CacheLayer recording = new CacheLayer() {
			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				belows.add(below);
				contexts.add(context);
				return new Counting<>(below, context);
			}
		};
		InMemoryCacheBackend<String> cache = InMemoryCacheBackend.builder()
			.serializer(CacheSerializers.string())
			.prefix("shop:")
			.failureMode(FailureMode.FAIL_FAST)
			.layer(recording)
			.layer(recording)
			.build();
		assertThat(belows).hasSize(2);
		assertThat(belows.get(0)).isInstanceOf(InMemoryLevel.class);
		assertThat(belows.get(1)).isInstanceOf(Counting.class);
		LayerContext<?> context = contexts.get(0);
		assertThat(context.prefix()).isEqualTo("shop:");
		assertThat(context.failureMode()).isEqualTo(FailureMode.FAIL_FAST);
		assertThat(context.serializer()).isSameAs(CacheSerializers.string());
		assertThat(context.commandTimeout()).isEqualTo(CacheDefaults.COMMAND_TIMEOUT);
		assertThat(context.listener()).isSameAs(OperationListener.NONE);
		assertThat(context.target()).isNotBlank();
		assertThat(context.service(Object.class)).isEmpty();
		assertThat(cache.getLayers()).containsExactly(recording, recording);
	}

	@Test
	void bothFacesAndTheBuildersViewsGoThroughTheLayersAViewOfItsOwnDoesNot() {
		Counting.Layer counting = new Counting.Layer();
		InMemoryCacheBackend<Object> cache = InMemoryCacheBackend.builder().layer(counting).build();
		cache.set("k", "v");
		assertThat(cache.get("k")).contains("v");
		assertThat(cache.async().get("k").join()).contains("v");
		assertThat(counting.gets).hasValue(2);
		CacheBackend<String> view = cache.withSerializer(CacheSerializers.string());
		view.get("k");
		assertThat(counting.gets).hasValue(3);
		LayeredCacheBackend<String> bare = cache.withSerializer(CacheSerializers.string(), List.of());
		assertThat(bare.get("k")).contains("\"v\"");
		assertThat(bare.getLayers()).isEmpty();
		assertThat(counting.gets).hasValue(3);
	}

	@Test
	void theAsyncFaceOfAStackIsStillTheBackendsAndFailsFuturesInsteadOfThrowing() {
		InMemoryCacheBackend<Object> cache = InMemoryCacheBackend.builder().layer(new Counting.Layer()).build();
		assertThat(cache.async().sync()).isSameAs(cache);
		CompletableFuture<Optional<Object>> bad = cache.async().get("");
		assertThat(bad).isCompletedExceptionally();
		assertThatThrownBy(() -> cache.get("")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("key must not be empty");
	}

	@Test
	void aLayerMustAnswerALevel() {
		CacheLayer broken = new CacheLayer() {
			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				return null;
			}
		};
		assertThatThrownBy(() -> InMemoryCacheBackend.builder().layer(broken).build())
			.isInstanceOf(NullPointerException.class)
			.hasMessageContaining("answered no level");
	}

	/** A pass-through level counting the gets it forwards. */
	static final class Counting<T> extends ForwardingCacheLevel<T> {

		private final @Nullable AtomicInteger gets;

		Counting(CacheLevel<T> below, LayerContext<T> context) {
			this(below, context, null);
		}

		Counting(CacheLevel<T> below, LayerContext<T> context, @Nullable AtomicInteger gets) {
			super(below, context);
			this.gets = gets;
		}

		@Override
		public CompletableFuture<Optional<T>> get(String key) {
			count();
			return super.get(key);
		}

		@Override
		public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
			count();
			return super.get(key, decodeOn);
		}

		private void count() {
			if (this.gets != null) {
				this.gets.incrementAndGet();
			}
		}

		static final class Layer implements CacheLayer {

			final AtomicInteger gets = new AtomicInteger();

			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				return new Counting<>(below, context, this.gets);
			}

		}

	}

}
