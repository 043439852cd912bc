package io.cachekit.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;

/**
 * Runs the contract suite through the asynchronous face: every call goes through
 * {@link AsyncCacheBackend} and is joined here, so the suite's assertions hold for both faces.
 */
public final class AsyncFaceAdapter<T> implements CacheBackend<T> {

	private final AsyncCacheBackend<T> async;

	public AsyncFaceAdapter(AsyncCacheBackend<T> async) {
		this.async = async;
	}

	private static <R> R join(CompletableFuture<R> future) {
		try {
			return future.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public T getOrLoad(String key, java.util.concurrent.Callable<? extends T> loader, Duration ttl) {
		return join(this.async.getOrLoad(key, () -> CompletableFuture.completedFuture(io.cachekit.core.CacheLoadException.call(key, loader)), ttl));
	}

	@Override
	public Map<String, T> getAllOrLoad(Collection<String> keys,
			java.util.function.Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Duration ttl) {
		return join(this.async.getAllOrLoad(keys, (missing) -> CompletableFuture.completedFuture(loader.apply(missing)), ttl));
	}

	@Override
	public Optional<T> get(String key) {
		return join(this.async.get(key));
	}

	@Override
	public boolean set(String key, T value, Duration ttl) {
		return join(this.async.set(key, value, ttl));
	}

	@Override
	public boolean add(String key, T value, Duration ttl) {
		return join(this.async.add(key, value, ttl));
	}

	@Override
	public boolean delete(String key) {
		return join(this.async.delete(key));
	}

	@Override
	public boolean exists(String key) {
		return join(this.async.exists(key));
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return join(this.async.expire(key, ttl));
	}

	@Override
	public boolean expireAt(String key, Instant instant) {
		return join(this.async.expireAt(key, instant));
	}

	@Override
	public boolean persist(String key) {
		return join(this.async.persist(key));
	}

	@Override
	public Optional<Duration> getTtl(String key) {
		return join(this.async.getTtl(key));
	}

	@Override
	public long invalidatePattern(String pattern) {
		return join(this.async.invalidatePattern(pattern));
	}

	@Override
	public boolean clear() {
		return join(this.async.clear());
	}

	@Override
	public Map<String, T> getMany(Collection<String> keys) {
		return join(this.async.getMany(keys));
	}

	@Override
	public boolean setMany(Map<String, ? extends T> entries, Duration ttl) {
		return join(this.async.setMany(entries, ttl));
	}

	@Override
	public long deleteMany(Collection<String> keys) {
		return join(this.async.deleteMany(keys));
	}

	@Override
	public long incr(String key, long amount, long initial, Duration ttl) {
		return join(this.async.incr(key, amount, initial, ttl));
	}

	@Override
	public boolean addToSet(String key, String member) {
		return join(this.async.addToSet(key, member));
	}

	@Override
	public long addManyToSet(String key, Collection<String> members) {
		return join(this.async.addManyToSet(key, members));
	}

	@Override
	public Set<String> getSetMembers(String key) {
		return join(this.async.getSetMembers(key));
	}

	@Override
	public boolean removeFromSet(String key, String member) {
		return join(this.async.removeFromSet(key, member));
	}

	@Override
	public boolean ping() {
		return join(this.async.ping());
	}

	@Override
	public AsyncCacheBackend<T> async() {
		return this.async;
	}

}
