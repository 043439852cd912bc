package io.cachekit.core.layer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;

/**
 * Any {@link CacheBackend} (a decorator of the application's own, say) as the bottom level of a
 * stack, so layers can go over a backend that is not layered itself: each operation is the
 * backend's blocking call on the caller's thread, answered as a completed future (a failure as a
 * failed one). It offers its layers no services: a loading layer over it coalesces per JVM and
 * keeps entries plain.
 *
 * @param <T> the value type
 */
public final class BackendLevel<T> implements CacheLevel<T> {

	private final CacheBackend<T> backend;

	private final LayerContext<T> context;

	private BackendLevel(CacheBackend<T> backend, FailureMode failureMode) {
		this.backend = backend;
		this.context = new Context<>(backend, failureMode);
	}

	/**
	 * The blocking face of {@code layers} over {@code backend}, lowest first.
	 * @param <T> the value type
	 * @param backend the backend at the bottom, used as it is (its serializer, its key space)
	 * @param failureMode the backend's failure mode, for the layers and the blocking face
	 * @param layers the layers over it
	 * @return the stack's blocking face
	 */
	public static <T> CacheBackend<T> stack(CacheBackend<T> backend, FailureMode failureMode, List<CacheLayer> layers) {
		BackendLevel<T> bottom = new BackendLevel<>(Objects.requireNonNull(backend, "backend must not be null"),
				Objects.requireNonNull(failureMode, "failureMode must not be null"));
		CacheLevel<T> level = bottom;
		for (CacheLayer layer : layers) {
			level = Objects.requireNonNull(layer.over(level, bottom.context), () -> layer + " answered no level");
		}
		return new AwaitingCacheBackend<>(level, bottom.context.commandTimeout(), failureMode, bottom.context.target());
	}

	private static <R> CompletableFuture<R> call(Supplier<R> operation) {
		try {
			return CompletableFuture.completedFuture(operation.get());
		}
		catch (RuntimeException | Error ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return call(() -> this.backend.get(key));
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.backend.set(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.backend.add(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return call(() -> this.backend.delete(key));
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return call(() -> this.backend.exists(key));
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return call(() -> this.backend.expire(key, ttl));
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return call(() -> this.backend.expireAt(key, instant));
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return call(() -> this.backend.persist(key));
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return call(() -> this.backend.getTtl(key));
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return call(() -> this.backend.invalidatePattern(pattern));
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return call(this.backend::clear);
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return call(() -> this.backend.getMany(keys));
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return call(() -> this.backend.setMany(entries, ttl));
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return call(() -> this.backend.deleteMany(keys));
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return call(() -> this.backend.incr(key, amount, initial, ttl));
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return call(() -> this.backend.addToSet(key, member));
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return call(() -> this.backend.addManyToSet(key, members));
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return call(() -> this.backend.getSetMembers(key));
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return call(() -> this.backend.removeFromSet(key, member));
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return call(this.backend::ping);
	}

	@Override
	public CacheBackend<T> sync() {
		return this.backend;
	}

	@Override
	public String toString() {
		return "BackendLevel[" + this.backend + "]";
	}

	/** What a backend of unknown insides tells its layers: its failure mode, and nothing it cannot know. */
	private record Context<T>(CacheBackend<T> backend, FailureMode failureMode) implements LayerContext<T> {

		@Override
		public String prefix() {
			return "";
		}

		@Override
		public String target() {
			return this.backend.getClass().getName();
		}

		/** The backend's serializer is its own: only services need one, and this level has none. */
		@Override
		public CacheSerializer<T> serializer() {
			return new CacheSerializer<>() {

				@Override
				public byte[] serialize(T value) {
					throw new UnsupportedOperationException("the serializer of " + target() + " is its own");
				}

				@Override
				public T deserialize(byte[] bytes) {
					throw new UnsupportedOperationException("the serializer of " + target() + " is its own");
				}

			};
		}

		@Override
		public Duration commandTimeout() {
			return CacheDefaults.COMMAND_TIMEOUT;
		}

	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		return call(() -> this.backend.set(key, value, ttl, tags));
	}

	@Override
	public CompletableFuture<Boolean> invalidateTag(String tag) {
		return call(() -> this.backend.invalidateTag(tag));
	}

}
