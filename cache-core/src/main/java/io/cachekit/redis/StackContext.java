package io.cachekit.redis;

import java.time.Duration;
import java.util.Optional;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.redis.internal.Engine;

/** What a Redis engine tells the layers of a stack over it. */
record StackContext<T>(Engine engine, CacheSerializer<T> serializer) implements LayerContext<T> {

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
