package io.cachekit.near;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * A near cache over one level: reads are answered from its {@link NearStore} when it holds the
 * key, else read with their remaining TTL on a tracked connection and kept; the backend's own
 * writes drop their keys from every near cache of the engine as they complete; Redis'
 * invalidations and connection events drop keys or everything.
 *
 * @param <T> the value type
 */
final class NearCacheLevel<T> extends ForwardingCacheLevel<T> implements Tracking.Listener {

	private final Tracking tracking;

	private final NearStore store;

	private final NearCacheStats stats;

	private final CacheSerializer<T> serializer;

	private final boolean copyOnRead;

	private final long maxLocalTtlNanos;

	private final OutageMode outageMode;

	NearCacheLevel(CacheLevel<T> below, LayerContext<T> context, Tracking tracking, NearCache settings,
			NearCacheStats stats) {
		super(below, context);
		this.tracking = tracking;
		this.stats = stats;
		this.serializer = context.serializer();
		this.copyOnRead = settings.copyOnRead();
		this.maxLocalTtlNanos = settings.maxLocalTtl().toNanos();
		this.outageMode = settings.outageMode();
		this.store = new NearStore(settings.maxEntries(), stats);
		stats.addSize(this.store::size);
	}

	NearStore store() {
		return this.store;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return get(key, this.tracking.decodeExecutor());
	}

	/** A held entry, answered on the calling thread; {@code null} for anything else (the read goes through {@link #get}). */
	@Override
	public @Nullable Optional<T> getNow(String key) {
		if (key == null) {
			return null;
		}
		Object held = this.store.hit(key);
		if (held == null) {
			return null;
		}
		this.stats.hit();
		return answer(held);
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		if (key == null) {
			return below().get(key, decodeOn);
		}
		Object held = this.store.hit(key);
		if (held != null) {
			this.stats.hit();
			return CompletableFuture.completedFuture(answer(held));
		}
		this.stats.miss();
		return readAndKeep(key, decodeOn);
	}

	/** A miss: reads {@code key} on a tracked connection and keeps what may be kept (the marker protocol). */
	private CompletableFuture<Optional<T>> readAndKeep(String key, Executor decodeOn) {
		NearStore.Pending marker = this.store.begin(key);
		CompletableFuture<Tracking.Read> read = this.tracking.read(key);
		return read.handle((r, ex) -> {
			if (ex != null || r == null || r.value() == null) {
				// nothing to keep: an absent key, or a failure already answered under the engine's policy
				if (marker != null) {
					this.store.abandon(key, marker);
				}
				return (ex != null) ? CompletableFuture.<Optional<T>>failedFuture(unwrap(ex))
						: CompletableFuture.completedFuture(Optional.<T>empty());
			}
			return decodeOn(decodeOn, () -> decodeAndKeep(key, marker, r))
				.thenCompose((decoded) -> (decoded != null) ? CompletableFuture.completedFuture(Optional.of(decoded))
						: below().get(key, decodeOn));
		}).thenCompose((answer) -> answer);
	}

	/**
	 * Runs {@code decode} on {@code executor}. Not {@code CompletableFuture.supplyAsync}: given
	 * {@code ForkJoinPool.commonPool()} (the default decode executor) on a machine of 2 cores or
	 * fewer, where the common pool has one thread, that starts a new thread per task.
	 */
	private static <R> CompletableFuture<R> decodeOn(Executor executor, java.util.function.Supplier<R> decode) {
		CompletableFuture<R> result = new CompletableFuture<>();
		Runnable task = () -> {
			try {
				result.complete(decode.get());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		};
		try {
			executor.execute(task);
		}
		catch (RuntimeException rejected) {
			task.run();
		}
		return result;
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/** Decodes what was read and keeps it when it may be kept; {@code null} when it is unreadable. */
	private @Nullable T decodeAndKeep(String key, NearStore.@Nullable Pending marker, Tracking.Read read) {
		byte[] bytes = read.value();
		T value;
		try {
			value = this.serializer.deserialize(bytes);
		}
		catch (RuntimeException ex) {
			// the level below reads it again and answers under its policy for unreadable values
			if (marker != null) {
				this.store.abandon(key, marker);
			}
			return null;
		}
		if (marker != null) {
			long ttlNanos = localTtlNanos(read.ttlMillis());
			if (read.tracked() && ttlNanos > 0) {
				// without copy-on-read the answer itself is kept: a hit allocates no Optional
				this.store.keep(key, marker, this.copyOnRead ? bytes : Optional.of(value), read.sentAtNanos() + ttlNanos,
						read);
			}
			else {
				this.store.abandon(key, marker);
			}
		}
		return value;
	}

	private long localTtlNanos(long pttlMillis) {
		if (pttlMillis == -1) {
			return this.maxLocalTtlNanos;
		}
		if (pttlMillis <= 0) {
			return 0;
		}
		return Math.min(Duration.ofMillis(pttlMillis).toNanos(), this.maxLocalTtlNanos);
	}

	@SuppressWarnings("unchecked")
	private Optional<T> answer(Object held) {
		return this.copyOnRead ? Optional.of(this.serializer.deserialize((byte[]) held)) : (Optional<T>) held;
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return getMany(keys, this.tracking.decodeExecutor());
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		if (keys == null || hasNull(keys)) {
			return below().getMany(keys, decodeOn);
		}
		Map<String, T> found = new LinkedHashMap<>();
		Map<String, CompletableFuture<Optional<T>>> missing = new LinkedHashMap<>();
		for (String key : keys) {
			if (found.containsKey(key) || missing.containsKey(key)) {
				continue;
			}
			Object held = this.store.hit(key);
			if (held != null) {
				found.put(key, answer(held).orElseThrow());
			}
			else {
				missing.put(key, null);
			}
		}
		this.stats.addHits(found.size());
		this.stats.addMisses(missing.size());
		if (missing.isEmpty()) {
			return CompletableFuture.completedFuture(found);
		}
		// each missing key is read as get reads it (tracked, with its TTL, kept under the marker protocol),
		// so a repeated getMany is answered here as a repeated get is; the reads are sent together
		missing.replaceAll((key, none) -> readAndKeep(key, decodeOn));
		return CompletableFuture.allOf(missing.values().toArray(CompletableFuture[]::new)).thenApply((done) -> {
			Map<String, T> all = new LinkedHashMap<>();
			for (String key : keys) {
				T value = found.get(key);
				if (value == null && missing.containsKey(key)) {
					value = missing.get(key).join().orElse(null);
				}
				if (value != null) {
					all.put(key, value);
				}
			}
			return all;
		});
	}

	private static boolean hasNull(Collection<String> keys) {
		for (String key : keys) {
			if (key == null) {
				return true;
			}
		}
		return false;
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return dropping(key, below().set(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return dropping(key, below().add(key, value, ttl));
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return dropping(key, below().delete(key));
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return dropping(key, below().expire(key, ttl));
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return dropping(key, below().expireAt(key, instant));
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return dropping(key, below().persist(key));
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return dropping(key, below().incr(key, amount, initial, ttl));
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return dropping(key, below().addToSet(key, member));
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return dropping(key, below().addManyToSet(key, members));
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return dropping(key, below().removeFromSet(key, member));
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		CompletableFuture<Boolean> result = below().setMany(entries, ttl);
		return (entries == null) ? result : droppingAll(entries.keySet(), result);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		CompletableFuture<Long> result = below().deleteMany(keys);
		return (keys == null) ? result : droppingAll(keys, result);
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return clearing(below().invalidatePattern(pattern));
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return clearing(below().clear());
	}

	/** Drops {@code key} from every near cache of the engine once the write settled, whatever its outcome. */
	private <R> CompletableFuture<R> dropping(@Nullable String key, CompletableFuture<R> write) {
		if (key == null) {
			return write;
		}
		return write.whenComplete((v, ex) -> this.tracking.written(key));
	}

	private <R> CompletableFuture<R> droppingAll(Collection<String> keys, CompletableFuture<R> write) {
		List<String> copy = new ArrayList<>(keys);
		return write.whenComplete((v, ex) -> {
			for (String key : copy) {
				if (key != null) {
					this.tracking.written(key);
				}
			}
		});
	}

	private <R> CompletableFuture<R> clearing(CompletableFuture<R> write) {
		return write.whenComplete((v, ex) -> this.tracking.cleared());
	}

	@Override
	public void invalidated(String key, boolean byRedis) {
		this.store.invalidate(key);
		if (byRedis) {
			this.stats.invalidation();
		}
	}

	@Override
	public void flushed(FlushCause cause) {
		this.store.flush();
		// counted once done: whoever sees the count sees the flush
		this.stats.flush(cause);
	}

	@Override
	public void disconnected() {
		if (this.outageMode == OutageMode.FLUSH) {
			flushed(FlushCause.DISCONNECTED);
		}
	}

	@Override
	public void flushed(FlushCause cause, Tracking.Origin origin) {
		this.store.flush(origin);
		this.stats.flush(cause);
	}

	@Override
	public void suspect(Tracking.Origin origin) {
		if (this.outageMode == OutageMode.FLUSH) {
			flushed(FlushCause.SUSPECT, origin);
		}
	}

	@Override
	public void disconnected(Tracking.Origin origin) {
		if (this.outageMode == OutageMode.FLUSH) {
			flushed(FlushCause.DISCONNECTED, origin);
		}
	}

}
