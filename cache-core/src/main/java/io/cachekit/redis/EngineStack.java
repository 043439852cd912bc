package io.cachekit.redis;

import java.time.Duration;
import java.util.Optional;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheEngine;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.redis.internal.Engine;

/** The Redis engine as the bottom of a stack: its level per serializer and what it tells the layers. */
record EngineStack(Engine engine) implements CacheEngine {

	@Override
	public <T> CacheLevel<T> level(CacheSerializer<T> serializer) {
		return this.engine.level(serializer);
	}

	@Override
	public <T> LayerContext<T> context(CacheSerializer<T> serializer) {
		return new Context<>(this.engine, serializer);
	}

	@Override
	public Duration defaultTtl() {
		return this.engine.settings().defaultTtl();
	}

	/** What a Redis engine tells the layers of a stack over it. */
	private record Context<T>(Engine engine, CacheSerializer<T> serializer) implements LayerContext<T> {

		@Override
		public String prefix() {
			return this.engine.settings().prefix();
		}

		@Override
		public String target() {
			return this.engine.target();
		}

		@Override
		public FailureMode failureMode() {
			return this.engine.settings().failureMode();
		}

		@Override
		public Duration commandTimeout() {
			return this.engine.settings().commandTimeout();
		}

		@Override
		public OperationListener listener() {
			return this.engine.settings().listener();
		}

		@Override
		public <S> Optional<S> service(Class<S> type) {
			return this.engine.service(type);
		}

		@Override
		public Optional<Duration> defaultTtl() {
			return Optional.of(this.engine.settings().defaultTtl());
		}

	}

}
