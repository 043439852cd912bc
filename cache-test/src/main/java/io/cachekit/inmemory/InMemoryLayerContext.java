package io.cachekit.inmemory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.KeySweep;
import io.cachekit.core.layer.LayerContext;

/**
 * What the in-memory engine tells the layers of a stack over it: its prefix, serializer and
 * failure mode; the default command timeout (nothing it does waits); no listener; one service, the
 * {@link KeySweep} (the whole keyspace at once: no SCAN paging).
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

	@Override
	public <S> Optional<S> service(Class<S> type) {
		if (type != KeySweep.class) {
			return Optional.empty();
		}
		KeySweep sweep = (glob, remove) -> {
			try {
				String prefix = this.engine.prefix();
				return CompletableFuture.completedFuture(this.engine.store().deleteMatching(this.engine.pattern(glob),
						(key) -> key.startsWith(prefix) && remove.test(key.substring(prefix.length()))));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		};
		return Optional.of(type.cast(sweep));
	}

}
