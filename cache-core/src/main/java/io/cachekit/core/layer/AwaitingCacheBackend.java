package io.cachekit.core.layer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.CacheLoadException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;

/**
 * The blocking face of a {@link CacheLevel}: each operation is the level's, awaited, so both faces
 * of a backend have one implementation and give the same answers. The level bounds every command
 * by its command timeout; the wait here has a safety bound on top of that (twice the command
 * timeout and half a second), past which a fail-open backend answers as in an outage. Values read
 * by {@code get} and {@code getMany} are decoded on the waiting thread.
 *
 * @param <T> the value type
 */
public class AwaitingCacheBackend<T> implements CacheBackend<T> {

	private static final Object THROW = new Object();

	private final CacheLevel<T> level;

	private final Duration commandTimeout;

	private final FailureMode failureMode;

	private final String target;

	/**
	 * The blocking face of {@code level}.
	 * @param level the level whose operations are awaited
	 * @param commandTimeout the level's command timeout, from which the safety bound is derived
	 * @param failureMode what the face answers when the safety bound passes
	 * @param target where the level stores (for messages; credentials already masked)
	 */
	public AwaitingCacheBackend(CacheLevel<T> level, Duration commandTimeout, FailureMode failureMode, String target) {
		this.level = Objects.requireNonNull(level, "level must not be null");
		this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout must not be null");
		this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
		this.target = Objects.requireNonNull(target, "target must not be null");
	}

	private CacheLevel<T> asyncImpl() {
		return this.level;
	}

	/**
	 * The level whose operations this face awaits (the top of a stack).
	 * @return the level
	 */
	protected final CacheLevel<T> level() {
		return this.level;
	}

	@Override
	public AsyncCacheBackend<T> async() {
		return this.level;
	}

	/**
	 * {@inheritDoc}
	 * <p>A level that can answer from memory ({@link CacheLevel#getNow}) answers here at once;
	 * any other read is awaited.
	 */
	@Override
	public Optional<T> get(String key) {
		Optional<T> now = asyncImpl().getNow(key);
		if (now != null) {
			return now;
		}
		CallerRuns decodeHere = new CallerRuns();
		return awaitDecoding(asyncImpl().get(key, decodeHere), decodeHere, Optional.empty());
	}

	@Override
	public boolean set(String key, T value, @Nullable Duration ttl) {
		return await(asyncImpl().set(key, value, ttl), false);
	}

	@Override
	public boolean add(String key, T value, @Nullable Duration ttl) {
		return await(asyncImpl().add(key, value, ttl), false);
	}

	@Override
	public boolean delete(String key) {
		return await(asyncImpl().delete(key), false);
	}

	@Override
	public boolean exists(String key) {
		return await(asyncImpl().exists(key), false);
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return await(asyncImpl().expire(key, ttl), false);
	}

	@Override
	public boolean expireAt(String key, Instant instant) {
		return await(asyncImpl().expireAt(key, instant), false);
	}

	@Override
	public boolean persist(String key) {
		return await(asyncImpl().persist(key), false);
	}

	@Override
	public Optional<Duration> getTtl(String key) {
		return await(asyncImpl().getTtl(key), Optional.empty());
	}

	@Override
	public long invalidatePattern(String pattern) {
		// many commands, each bounded by the command timeout: no overall bound
		return awaitUnbounded(asyncImpl().invalidatePattern(pattern));
	}

	@Override
	public boolean clear() {
		return awaitUnbounded(asyncImpl().clear());
	}

	@Override
	public Map<String, T> getMany(Collection<String> keys) {
		CallerRuns decodeHere = new CallerRuns();
		return awaitDecoding(asyncImpl().getMany(keys, decodeHere), decodeHere, Map.of());
	}

	@Override
	public boolean setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return await(asyncImpl().setMany(entries, ttl), false);
	}

	@Override
	public long deleteMany(Collection<String> keys) {
		return await(asyncImpl().deleteMany(keys), 0L);
	}

	@Override
	public long incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return await(asyncImpl().incr(key, amount, initial, ttl), THROW);
	}

	@Override
	public boolean addToSet(String key, String member) {
		return await(asyncImpl().addToSet(key, member), false);
	}

	@Override
	public long addManyToSet(String key, Collection<String> members) {
		return await(asyncImpl().addManyToSet(key, members), 0L);
	}

	@Override
	public Set<String> getSetMembers(String key) {
		return await(asyncImpl().getSetMembers(key), Set.of());
	}

	@Override
	public boolean removeFromSet(String key, String member) {
		return await(asyncImpl().removeFromSet(key, member), false);
	}

	@Override
	public boolean ping() {
		return await(asyncImpl().ping(), false);
	}

	/**
	 * {@inheritDoc}
	 * <p>The loader runs on the calling thread, which waits (without a bound: the loader's time
	 * is the caller's) for the level's answer; the level's own waits (for a lease held by another
	 * instance) are bounded by the level.
	 */
	@Override
	public T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl) {
		Objects.requireNonNull(loader, "loader must not be null");
		CallerMailbox here = new CallerMailbox();
		CompletableFuture<T> result = asyncImpl().getOrLoad(key,
				() -> CompletableFuture.completedFuture(CacheLoadException.call(key, loader)), ttl, here);
		return awaitLoad(here, result, () -> "'" + key + "'");
	}

	/**
	 * {@inheritDoc}
	 * <p>The loader runs on the calling thread, which waits (without a bound: the loader's time
	 * is the caller's) for the level's answer.
	 */
	@Override
	public Map<String, T> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, @Nullable Duration ttl) {
		Objects.requireNonNull(loader, "loader must not be null");
		CallerMailbox here = new CallerMailbox();
		CompletableFuture<Map<String, T>> result = asyncImpl().getAllOrLoad(keys,
				(missing) -> CompletableFuture.completedFuture(loader.apply(missing)), ttl, here);
		return awaitLoad(here, result, () -> keys.size() + " keys");
	}

	/**
	 * {@code result} of a load whose loader runs on this thread ({@code here}), without a bound:
	 * the loader's own exception as it was thrown; {@code what} names the keys when interrupted.
	 */
	private <R> R awaitLoad(CallerMailbox here, CompletableFuture<R> result, Supplier<String> what) {
		try {
			return here.await(result);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CacheLoadException("interrupted while loading " + what.get(), ex);
		}
	}

	private <R> R awaitUnbounded(CompletableFuture<R> future) {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CacheException(ErrorCode.TIMEOUT, "interrupted while waiting for Redis", ex);
		}
	}

	/** Waits for the reply's decoding step and runs it here, then answers as {@link #await} does. */
	private <R> R awaitDecoding(CompletableFuture<R> future, CallerRuns decodeHere, R fallbackWhenOpen) {
		if (!future.isDone()) {
			// settled without a step (failed before sending): wake the wait below
			future.whenComplete((v, ex) -> decodeHere.complete(CallerRuns.NOTHING));
			Runnable step;
			try {
				step = decodeHere.get(safetyBoundNanos(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				step = CallerRuns.NOTHING;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CacheException(ErrorCode.TIMEOUT, "interrupted while waiting for Redis", ex);
			}
			step.run();
		}
		return await(future, fallbackWhenOpen);
	}

	private long safetyBoundNanos() {
		// the level completes a command at its timeout; this bound only guards against a bug.
		return this.commandTimeout.toNanos() * 2 + 500_000_000L;
	}

	@SuppressWarnings("unchecked")
	private <R> R await(CompletableFuture<R> future, Object fallbackWhenOpen) {
		try {
			return future.get(safetyBoundNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
		catch (TimeoutException ex) {
			CacheException timeout = new CacheException(ErrorCode.TIMEOUT,
					"no answer from " + this.target + " within " + this.commandTimeout, ex);
			if (this.failureMode == FailureMode.FAIL_OPEN && fallbackWhenOpen != THROW) {
				return (R) fallbackWhenOpen;
			}
			throw timeout;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CacheException(ErrorCode.TIMEOUT, "interrupted while waiting for Redis", ex);
		}
	}

	private static RuntimeException rethrow(@Nullable Throwable cause) {
		if (cause instanceof RuntimeException runtimeException) {
			return runtimeException;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new CacheException(ErrorCode.REDIS_ERROR, String.valueOf(cause), cause);
	}

	@Override
	public boolean set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		return await(asyncImpl().set(key, value, ttl, tags), false);
	}

	/**
	 * {@inheritDoc}
	 * <p>The loader runs on the calling thread, as {@link #getOrLoad(String, Callable, Duration)}'s does.
	 */
	@Override
	public T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl, Collection<String> tags) {
		Objects.requireNonNull(loader, "loader must not be null");
		Objects.requireNonNull(tags, "tags must not be null");
		CallerMailbox here = new CallerMailbox();
		CompletableFuture<T> result = asyncImpl().getOrLoad(key,
				() -> CompletableFuture.completedFuture(CacheLoadException.call(key, loader)), ttl, here, tags);
		return awaitLoad(here, result, () -> "'" + key + "'");
	}

	@Override
	public boolean invalidateTag(String tag) {
		return await(asyncImpl().invalidateTag(tag), false);
	}

}
