package io.cachekit.inmemory;

import java.time.Duration;

import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.LayerContext;

/**
 * What the in-memory engine tells the layers of a stack over it: its prefix, serializer and
 * failure mode; the default command timeout (nothing it does waits); no listener and no services.
 */
record InMemoryLayerContext<T>(InMemoryEngine engine, CacheSerializer<T> serializer) implements LayerContext<T> {

	@Override
	public String prefix() {
		return this.engine.prefix();
	}

	@Override
	public String target() {
		return InMemoryEngine.TARGET;
	}

	@Override
	public FailureMode failureMode() {
		return this.engine.failureMode();
	}

	@Override
	public Duration commandTimeout() {
		return CacheDefaults.COMMAND_TIMEOUT;
	}

}
