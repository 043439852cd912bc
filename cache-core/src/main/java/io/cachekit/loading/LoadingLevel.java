package io.cachekit.loading;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.BulkLoad;
import io.cachekit.core.CacheLoadException;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.Futures;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.layer.SingleFlight;
import io.cachekit.core.layer.SingleFlight.Flight;

/**
 * {@code getOrLoad} with stampede protection over the level below: one load per key at a time in
 * this JVM (callers share one future: a {@link SingleFlight}), and across JVMs under a {@link Leases lease}; XFetch early
 * refresh in the background; a stale value served when its load fails within the grace. Plain
 * reads and writes go through {@link EntryStoreLevel} (envelopes, time-to-idle, jitter).
 *
 * @param <T> the value type
 */
final class LoadingLevel<T> extends EntryStoreLevel<T> {

	private final LoadingSettings settings;

	private final LoadingStats stats;

	private final OperationListener listener;

	private final @Nullable Leases leases;

	private final Executor background;

	private final SingleFlight<T> flights = new SingleFlight<>();

	private final LoadFences fences;

	/** With leases: ends a key's lease before this level writes or deletes it (loads elsewhere then store nothing). */
	private final @Nullable FencedWrites revoker;

	private final BulkFlights<T> bulk;

	LoadingLevel(CacheLevel<T> below, LayerContext<T> context, LoadingSettings settings, LoadingStats stats,
			EntryAccess<T> access, boolean leased, LoadFences fences) {
		super(below, context, access);
		this.fences = fences;
		this.settings = settings;
		this.stats = stats;
		this.listener = context.listener();
		this.leases = leased ? context.service(Leases.class).orElse(null) : null;
		this.revoker = (this.leases != null) ? context.service(FencedWrites.class).orElse(null) : null;
		Executor executor = settings.getExecutor();
		this.background = (executor != null) ? executor : LoaderThreads.shared();
		this.bulk = new BulkFlights<>(this, below, access, this.flights, stats, this.listener, this.background);
	}

	/**
	 * {@inheritDoc}
	 * <p>Loads with stampede protection whatever {@code top} is: the read goes through the levels
	 * below this one (a near cache under it included; envelope and tagged entries through its
	 * {@code readStored}), and with time-to-idle straight to the store.
	 */
	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		return readOrLoad(key, loader, ttl, loadOn, List.of());
	}

	/**
	 * {@inheritDoc}
	 * <p>Where entries may carry tags, a loaded value carries {@code tags} with the versions they
	 * had before its loader was called; else the level below's (which refuses tags).
	 */
	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, Collection<String> tags) {
		List<String> list;
		try {
			list = EntryAccess.tagList(tags);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (!list.isEmpty() && !access().tagged()) {
			return super.getOrLoad(key, loader, ttl, loadOn, tags);
		}
		return readOrLoad(key, loader, ttl, loadOn, list);
	}

	/** The read, then a hit, an early refresh, a stale value or a load; a loaded value carries {@code tags}. */
	private CompletableFuture<T> readOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, List<String> tags) {
		if (loader == null) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("loader must not be null"));
		}
		Executor work = (loadOn != null) ? loadOn : this.background;
		CompletableFuture<Optional<Entry<T>>> read;
		try {
			// an argument error (bad key, negative TTL) before anything is sent
			access().jittered(ttl);
			read = access().read(key, loadOn);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return read.thenCompose((found) -> {
			if (found.isEmpty()) {
				return load(key, loader, ttl, work, null, tags);
			}
			Entry<T> entry = found.get();
			long now = access().now();
			if (!entry.isExpired(now)) {
				if (this.settings.isEarlyRefresh()
						&& entry.shouldRefreshEarly(now, this.settings.getBeta(), 1.0 - ThreadLocalRandom.current().nextDouble())) {
					refresh(key, loader, ttl, entry, tags);
				}
				return CompletableFuture.completedFuture(entry.value());
			}
			if (this.settings.isEarlyRefresh()) {
				// within the grace with early refresh on: the current value, refreshed behind it
				refresh(key, loader, ttl, entry, tags);
				return CompletableFuture.completedFuture(entry.value());
			}
			// a load that may be timed out must not run on the caller's own thread
			Executor where = (this.settings.getStaleLoadTimeout() != null) ? this.background : work;
			return load(key, loader, ttl, where, entry, tags);
		});
	}

	/** The load of {@code key}: this caller's, or the one already running in this JVM. */
	private CompletableFuture<T> load(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work, @Nullable Entry<T> stale, List<String> tags) {
		// the flight ends only once the value was written: a caller that finds none finds the
		// value in Redis (the read under the lease) or loads
		Flight<T> flight = this.flights.run(key, () -> underLease(key, loader, ttl, work, tags));
		if (!flight.joined()) {
			return orStale(flight.outcome(), stale);
		}
		this.stats.record(this.listener, LoadingStats.COALESCED_WAIT, 0);
		// a bulk load's flight ends with null for a key its loader left out: this caller loads it
		return orStale(flight.outcome().thenCompose((value) -> (value != null) ? CompletableFuture.completedFuture(value)
				: load(key, loader, ttl, work, null, tags)), stale);
	}

	/**
	 * {@inheritDoc}
	 * <p>Coalesced per key with this level's {@code getOrLoad} ({@link BulkFlights}), whatever
	 * {@code top} is: the read goes through the levels below this one (a near cache under it
	 * included).
	 */
	@Override
	public CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		if (loader == null) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("loader must not be null"));
		}
		Set<String> distinct;
		try {
			distinct = BulkLoad.distinct(keys);
			access().jittered(ttl);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.bulk.getAllOrLoad(distinct, loader, ttl, loadOn);
	}

	/**
	 * {@code load}, or the stale value when it fails or (with a stale load timeout) takes longer
	 * than the timeout; the load goes on either way and stores its value.
	 */
	private CompletableFuture<T> orStale(CompletableFuture<T> load, @Nullable Entry<T> stale) {
		if (stale == null) {
			return load;
		}
		CompletableFuture<T> answer = new CompletableFuture<>();
		AtomicBoolean answered = new AtomicBoolean();
		load.whenComplete((value, ex) -> {
			if (ex == null) {
				if (answered.compareAndSet(false, true)) {
					answer.complete(value);
				}
			}
			else {
				serveStale(answer, answered, stale);
			}
		});
		Duration timeout = this.settings.getStaleLoadTimeout();
		if (timeout != null && !answer.isDone()) {
			CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
				.execute(() -> serveStale(answer, answered, stale));
		}
		return answer;
	}

	private void serveStale(CompletableFuture<T> answer, AtomicBoolean answered, Entry<T> stale) {
		if (answered.compareAndSet(false, true)) {
			// counted before the caller sees it
			this.stats.record(this.listener, LoadingStats.STALE_SERVED, 0);
			answer.complete(stale.value());
		}
	}

	/** Loads under the lease of {@code key}, or waits for its holder (bounded), or loads alone when Redis cannot lease. */
	private CompletableFuture<T> underLease(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work, List<String> tags) {
		Leases leases = this.leases;
		if (leases == null) {
			// read again first: a caller that read before the last load's write and came after
			// its flight ended finds that value here instead of loading again
			return access().read(key, null)
				.handle((found, ex) -> (ex == null && found.isPresent() && !found.get().isExpired(access().now()))
						? found.get() : null)
				.thenCompose((fresh) -> (fresh != null) ? CompletableFuture.completedFuture(fresh.value())
						: run(key, loader, ttl, work, null, tags));
		}
		LeaseWait<T> wait = new LeaseWait<>(key, leases, access(), this.settings, work,
				(token) -> run(key, loader, ttl, work, token, tags), this::leaseWaitTimedOut);
		return wait.start();
	}

	private void leaseWaitTimedOut() {
		this.stats.record(this.listener, LoadingStats.LEASE_WAIT_TIMEOUT, 0);
	}

	/**
	 * An early refresh of {@code seen} in the background, unless a load of the key runs in this
	 * JVM, another instance holds its lease, or it was refreshed since {@code seen} was read.
	 */
	private void refresh(String key, Supplier<? extends CompletionStage<? extends T>> loader, @Nullable Duration ttl,
			Entry<T> seen, List<String> tags) {
		this.flights.run(key, () -> refreshNow(key, loader, ttl, seen, tags));
	}

	private CompletableFuture<T> refreshNow(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Entry<T> seen, List<String> tags) {
		Leases leases = this.leases;
		if (leases == null) {
			this.stats.record(this.listener, LoadingStats.EARLY_REFRESH, 0);
			return run(key, loader, ttl, this.background, null, tags);
		}
		return leases.acquire(key, this.settings.getLeaseTime()).handle((token, ex) -> token)
				.thenCompose((token) -> {
					if (token == null || token.isEmpty()) {
						// held elsewhere (that holder refreshes), or Redis cannot lease now
						return CompletableFuture.completedFuture(seen.value());
					}
					return access().read(key, null).thenCompose((now) -> {
						if (now.isPresent() && now.get().expiresAtMillis() != seen.expiresAtMillis()) {
							return CompletableFuture.completedFuture(now.get().value()); // refreshed meanwhile
						}
						this.stats.record(this.listener, LoadingStats.EARLY_REFRESH, 0);
						return run(key, loader, ttl, this.background, token.get(), tags);
					}).whenComplete((v, ex) -> LeaseWait.release(leases, key, token.get()));
				});
	}

	/**
	 * {@link #run(String, Supplier, Duration, Executor, String, List, long[])}, for a tagged value once its
	 * tags' versions are known: read before the loader is called, so that an invalidation while it
	 * runs leaves its value a miss. Versions that cannot be read: the value is loaded, not stored.
	 */
	private CompletableFuture<T> run(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work, @Nullable String token, List<String> tags) {
		if (tags.isEmpty()) {
			return run(key, loader, ttl, work, token, tags, null);
		}
		return access().versions(tags).handle((versions, ex) -> versions)
			.thenCompose((versions) -> run(key, loader, ttl, work, token, tags, versions));
	}

	/**
	 * Calls the loader on {@code work}, stores its value with the recompute time (and tags),
	 * answers it. The value is not stored when a write or delete of the key through this layer
	 * came after the load began ({@link LoadFences}), nor, loaded under the lease {@code token}
	 * (an untagged value), when the lease is no longer its ({@link FencedWrites}).
	 */
	private CompletableFuture<T> run(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work, @Nullable String token, List<String> tags,
			long @Nullable [] versions) {
		LoadFences.Fence fence = this.fences.open(key);
		CompletableFuture<T> loaded = new CompletableFuture<>();
		long start = System.nanoTime();
		try {
			work.execute(() -> Futures.relay(CacheLoadException.start(key, loader), loaded));
		}
		catch (RuntimeException rejected) {
			loaded.completeExceptionally(rejected);
		}
		return loaded.handle((value, ex) -> {
			long nanos = System.nanoTime() - start;
			this.stats.record(this.listener, LoadingStats.LOAD, nanos);
			if (ex != null) {
				this.stats.loadFailed();
				return CompletableFuture.<T>failedFuture(ex);
			}
			if (value == LoadingLayer.NOTHING_TO_STORE) {
				return CompletableFuture.completedFuture(value);
			}
			if (!tags.isEmpty() && versions == null) {
				return CompletableFuture.completedFuture(value); // versions unknown: loaded, not stored
			}
			CompletableFuture<Boolean> stored = fence.sendUnlessOvertaken(() -> tags.isEmpty()
					? access().writeLoaded(key, value, ttl, nanos / 1_000_000, token)
					: access().writeTagged(key, value, ttl, nanos / 1_000_000, false, tags, versions));
			if (stored == null) {
				discarded();
				return CompletableFuture.completedFuture(value);
			}
			return stored.handle((written, writeEx) -> {
				if (writeEx == null && token != null && tags.isEmpty() && Boolean.FALSE.equals(written) && access().fences()) {
					discarded(); // the lease was no longer this load's
				}
				return value;
			});
		}).thenCompose((stage) -> stage).whenComplete((value, ex) -> this.fences.close(fence));
	}

	private void discarded() {
		this.stats.record(this.listener, LoadingStats.LOAD_DISCARDED, 0);
	}

	/**
	 * {@code keys} are about to be written or deleted through this level: a load of one of them
	 * that began before must not store its value after them. In this JVM its fence is marked; with
	 * leases, the keys' leases are ended, so a load under one of them in any instance stores
	 * nothing. Both before the command is sent (see {@link LoadFences} for the order).
	 */
	private void overtake(Collection<String> keys) {
		this.fences.overtake(keys);
		FencedWrites revoker = this.revoker;
		if (revoker != null) {
			try {
				revoker.revoke(keys);
			}
			catch (RuntimeException ex) {
				// an argument error: the write itself reports it
			}
		}
	}

	private void overtake(@Nullable String key) {
		if (key != null) {
			overtake(List.of(key));
		}
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		overtake(key);
		return super.set(key, value, ttl);
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		overtake(key);
		return super.add(key, value, ttl);
	}

	/**
	 * Stores what a bulk load loaded ({@link BulkFlights}): the entries' write, as {@code setMany}
	 * writes them, but as a loader's write, not a caller's, so it does not overtake loads in
	 * flight nor end other instances' leases.
	 */
	CompletableFuture<Boolean> storeLoaded(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return super.setMany(entries, ttl);
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		if (entries != null) {
			overtake(entries.keySet());
		}
		return super.setMany(entries, ttl);
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		overtake(key);
		return super.delete(key);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		if (keys != null) {
			overtake(keys);
		}
		return super.deleteMany(keys);
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		// any key may match: every load in flight is overtaken (at worst a value is not stored)
		this.fences.overtakeAll();
		return super.invalidatePattern(pattern);
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		this.fences.overtakeAll();
		return super.clear();
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		if (tags != null && tags.isEmpty()) {
			return set(key, value, ttl); // (which overtakes: once)
		}
		overtake(key);
		return super.set(key, value, ttl, tags);
	}

}
