package io.cachekit.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.serialization.CacheSerializers;

/**
 * The contract suite again, with a pass-through layer stacked on the in-memory engine: a stack of
 * levels answers as the engine alone does, through both faces and through views.
 */
class InMemoryLayeredContractTest extends InMemoryContractTest {

	private final PassThrough layer = new PassThrough();

	@Override
	protected InMemoryCacheBackendBuilder<Object> builder(String keyPrefix) {
		return super.builder(keyPrefix).layer(this.layer);
	}

	@Test
	void theBackendAndItsViewsAreStackedOnTheLayer() {
		// newBackend ran before this test: one level
		assertThat(this.layer.levels).hasValue(1);
		CacheBackend<String> view = withSerializer(this.backend, CacheSerializers.string());
		assertThat(this.layer.levels).hasValue(2);
		assertThat(((InMemoryCacheBackend<?>) this.backend).getLayers()).containsExactly(this.layer);
		assertThat(view.set("k", "v")).isTrue();
		assertThat(view.get("k")).contains("v");
	}

	/** A layer that changes nothing, counting the levels it puts over an engine. */
	static final class PassThrough implements CacheLayer {

		final AtomicInteger levels = new AtomicInteger();

		@Override
		public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
			this.levels.incrementAndGet();
			return new Level<>(below, context);
		}

		private static final class Level<T> extends ForwardingCacheLevel<T> {

			Level(CacheLevel<T> below, LayerContext<T> context) {
				super(below, context);
			}

		}

	}

}
