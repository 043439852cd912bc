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
import io.cachekit.core.layer.StoredDecoder;

/**
 * A near cache over one level: reads are answered from its {@link NearStore} when it holds the
 * key, else read with their remaining TTL on a tracked connection and kept; the backend's own
 * writes drop their keys from every near cache of the engine as they complete; Redis'
 * invalidations and connection events drop keys or everything. A layer above that stores entries
 * in a form of its own ({@link #readStored}: the loading layer's envelopes) has them kept as its
 * decoder makes them, under the same rules.
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
		Object held = valueHit(key);
		if (held == null) {
			return null;
		}
		this.stats.hit();
		return answer(held);
	}

	/** The kept value of {@code key} for a plain read: not an entry kept for a layer's decoder. */
	private @Nullable Object valueHit(String key) {
		Object held = this.store.hit(key);
		return (held instanceof Decoded) ? null : held;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		if (key == null) {
			return below().get(key, decodeOn);
		}
		Object held = valueHit(key);
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
		// without copy-on-read the answer itself is kept: a hit allocates no Optional
		keepOrAbandon(key, marker, read, this.copyOnRead ? bytes : Optional.of(value));
		return value;
	}

	/** Keeps {@code kept} for what {@code read} answered when it may be kept (tracked, TTL left), else abandons the read. */
	private void keepOrAbandon(String key, NearStore.@Nullable Pending marker, Tracking.Read read, Object kept) {
		if (marker == null) {
			return;
		}
		long ttlNanos = localTtlNanos(read.ttlMillis());
		if (read.tracked() && ttlNanos > 0) {
			this.store.keep(key, marker, kept, read.sentAtNanos() + ttlNanos, read);
		}
		else {
			this.store.abandon(key, marker);
		}
	}

	/**
	 * An entry kept for a layer above that decodes the stored bytes itself: the answer of what its
	 * decoder made (an {@code Optional}, so a hit allocates nothing; with copy-on-read, the bytes,
	 * decoded again on every hit), for that decoder alone.
	 */
	private record Decoded(StoredDecoder<?> decoder, Object entry) {
	}

	/**
	 * {@inheritDoc}
	 * <p>Here: the entry kept for {@code decode}, else one read (GET + PTTL on a tracked
	 * connection, as {@link #get} reads) whose decoded entry is kept under the same marker
	 * protocol, so the invalidations, the backend's own writes and the flushes that drop values
	 * drop it too.
	 */
	@Override
	public <E> CompletableFuture<Optional<E>> readStored(String key, StoredDecoder<E> decode,
			@Nullable Executor decodeOn) {
		Optional<E> held = readStoredNow(key, decode);
		if (held != null) {
			return CompletableFuture.completedFuture(held);
		}
		this.stats.miss();
		Executor where = (decodeOn != null) ? decodeOn : this.tracking.decodeExecutor();
		NearStore.Pending marker = this.store.begin(key);
		return this.tracking.read(key).handle((r, ex) -> {
			if (ex != null || r == null || r.value() == null) {
				if (marker != null) {
					this.store.abandon(key, marker);
				}
				return (ex != null) ? CompletableFuture.<Optional<E>>failedFuture(unwrap(ex))
						: CompletableFuture.completedFuture(Optional.<E>empty());
			}
			return decodeOn(where, () -> decodeStoredAndKeep(key, marker, r, decode));
		}).thenCompose((answer) -> answer);
	}

	@Override
	public <E> @Nullable Optional<E> readStoredNow(String key, StoredDecoder<E> decode) {
		if (key == null || !(this.store.hit(key) instanceof Decoded held) || held.decoder() != decode) {
			return null;
		}
		this.stats.hit();
		return entry(key, held, decode);
	}

	@SuppressWarnings("unchecked")
	private <E> Optional<E> entry(String key, Decoded held, StoredDecoder<E> decode) {
		return this.copyOnRead ? Optional.ofNullable(decode.decode(key, (byte[]) held.entry())) : (Optional<E>) held.entry();
	}

	private <E> Optional<E> decodeStoredAndKeep(String key, NearStore.@Nullable Pending marker, Tracking.Read read,
			StoredDecoder<E> decode) {
		byte[] bytes = read.value();
		E entry;
		try {
			entry = decode.decode(key, bytes);
		}
		catch (RuntimeException ex) {
			if (marker != null) {
				this.store.abandon(key, marker);
			}
			throw ex;
		}
		if (entry == null) {
			if (marker != null) {
				this.store.abandon(key, marker);
			}
			return Optional.empty();
		}
		Optional<E> answer = Optional.of(entry);
		keepOrAbandon(key, marker, read, new Decoded(decode, this.copyOnRead ? bytes : answer));
		return answer;
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
			Object held = valueHit(key);
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
