package io.cachekit.loading;

import java.time.Duration;
import java.util.Collection;
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

	private final BulkFlights<T> bulk;

	LoadingLevel(CacheLevel<T> below, LayerContext<T> context, LoadingSettings settings, LoadingStats stats,
			EntryAccess<T> access, boolean leased) {
		super(below, context, access);
		this.settings = settings;
		this.stats = stats;
		this.listener = context.listener();
		this.leases = leased ? context.service(Leases.class).orElse(null) : null;
		Executor executor = settings.getExecutor();
		this.background = (executor != null) ? executor : LoaderThreads.shared();
		this.bulk = new BulkFlights<>(this, below, access, this.flights, stats, this.listener, this.background);
	}

	/**
	 * {@inheritDoc}
	 * <p>Loads with stampede protection whatever {@code top} is: the read goes through the levels
	 * below this one (a near cache under it included), and envelope entries straight to the store.
	 */
	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
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
				return load(key, loader, ttl, work, null);
			}
			Entry<T> entry = found.get();
			long now = access().now();
			if (!entry.isExpired(now)) {
				if (this.settings.isEarlyRefresh()
						&& entry.shouldRefreshEarly(now, this.settings.getBeta(), 1.0 - ThreadLocalRandom.current().nextDouble())) {
					refresh(key, loader, ttl, entry);
				}
				return CompletableFuture.completedFuture(entry.value());
			}
			if (this.settings.isEarlyRefresh()) {
				// within the grace with early refresh on: the current value, refreshed behind it
				refresh(key, loader, ttl, entry);
				return CompletableFuture.completedFuture(entry.value());
			}
			// a load that may be timed out must not run on the caller's own thread
			Executor where = (this.settings.getStaleLoadTimeout() != null) ? this.background : work;
			return load(key, loader, ttl, where, entry);
		});
	}

	/** The load of {@code key}: this caller's, or the one already running in this JVM. */
	private CompletableFuture<T> load(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work, @Nullable Entry<T> stale) {
		// the flight ends only once the value was written: a caller that finds none finds the
		// value in Redis (the read under the lease) or loads
		Flight<T> flight = this.flights.run(key, () -> underLease(key, loader, ttl, work));
		if (!flight.joined()) {
			return orStale(flight.outcome(), stale);
		}
		this.stats.record(this.listener, LoadingStats.COALESCED_WAIT, 0);
		// a bulk load's flight ends with null for a key its loader left out: this caller loads it
		return orStale(flight.outcome().thenCompose((value) -> (value != null) ? CompletableFuture.completedFuture(value)
				: load(key, loader, ttl, work, null)), stale);
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
			@Nullable Duration ttl, Executor work) {
		Leases leases = this.leases;
		if (leases == null) {
			// read again first: a caller that read before the last load's write and came after
			// its flight ended finds that value here instead of loading again
			return access().read(key, null)
				.handle((found, ex) -> (ex == null && found.isPresent() && !found.get().isExpired(access().now()))
						? found.get() : null)
				.thenCompose((fresh) -> (fresh != null) ? CompletableFuture.completedFuture(fresh.value())
						: run(key, loader, ttl, work));
		}
		LeaseWait<T> wait = new LeaseWait<>(key, leases, access(), this.settings, work,
				() -> run(key, loader, ttl, work), this::leaseWaitTimedOut);
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
			Entry<T> seen) {
		this.flights.run(key, () -> refreshNow(key, loader, ttl, seen));
	}

	private CompletableFuture<T> refreshNow(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Entry<T> seen) {
		Leases leases = this.leases;
		if (leases == null) {
			this.stats.record(this.listener, LoadingStats.EARLY_REFRESH, 0);
			return run(key, loader, ttl, this.background);
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
						return run(key, loader, ttl, this.background);
					}).whenComplete((v, ex) -> LeaseWait.release(leases, key, token.get()));
				});
	}

	/** Calls the loader on {@code work}, stores its value with the recompute time, answers it. */
	private CompletableFuture<T> run(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, Executor work) {
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
			return access().write(key, value, ttl, nanos / 1_000_000, false).handle((stored, writeEx) -> value);
		}).thenCompose((stage) -> stage);
	}

}
