package io.cachekit.loading;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.layer.Futures;

/**
 * One load of a key under its lease across JVMs. The caller takes the lease and loads (after
 * reading the key once more: a holder may have just stored it), or, while another instance holds
 * it, polls for the value with backoff (5 ms doubling to 100 ms, jittered), retaking the lease at
 * each poll so that a holder that died stops blocking the moment its lease expires. Waiting ends
 * at the lease wait, after which the caller loads for itself; when Redis cannot lease (an outage),
 * it loads at once.
 *
 * <p>Why polling rather than pub/sub: a notification needs a subscribed connection per backend
 * (a cluster needs sharded channels), and a message lost across a reconnect or failover would
 * leave waiters to their timeout anyway; polling works on every topology and on Valkey, and its
 * cost is bounded: only one caller per JVM waits (the others share its future), at most about
 * twenty SET NX and GET pairs a second once the backoff has grown.
 *
 * @param <T> the value type
 */
final class LeaseWait<T> {

	private static final long FIRST_POLL_MILLIS = 5;

	private static final long LONGEST_POLL_MILLIS = 100;

	private final String key;

	private final Leases leases;

	private final EntryAccess<T> access;

	private final LoadingSettings settings;

	private final Executor work;

	/** The load, given the lease's token ({@code null}: loading without the lease). */
	private final Function<@Nullable String, CompletableFuture<T>> load;

	private final Runnable onTimeout;

	private final CompletableFuture<T> result = new CompletableFuture<>();

	private long deadline;

	LeaseWait(String key, Leases leases, EntryAccess<T> access, LoadingSettings settings, Executor work,
			Function<@Nullable String, CompletableFuture<T>> load, Runnable onTimeout) {
		this.key = key;
		this.leases = leases;
		this.access = access;
		this.settings = settings;
		this.work = work;
		this.load = load;
		this.onTimeout = onTimeout;
	}

	CompletableFuture<T> start() {
		this.deadline = System.nanoTime() + this.settings.getLeaseWait().toNanos();
		attempt(0);
		return this.result;
	}

	private void attempt(int polls) {
		this.leases.acquire(this.key, this.settings.getLeaseTime()).whenComplete((token, ex) -> {
			if (ex != null || token == null) {
				loadAlone();
			}
			else if (token.isPresent()) {
				holding(token.get());
			}
			else {
				long delay = Math.min(LONGEST_POLL_MILLIS, FIRST_POLL_MILLIS << Math.min(polls, 10));
				delay = Math.max(1, (long) (delay * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
				CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, this.work).execute(() -> poll(polls));
			}
		});
	}

	private void poll(int polls) {
		CompletableFuture<Optional<Entry<T>>> read;
		try {
			read = this.access.read(this.key, null);
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		read.whenComplete((found, ex) -> {
			if (ex == null && found != null && found.isPresent() && !found.get().isExpired(this.access.now())) {
				this.result.complete(found.get().value());
			}
			else if (System.nanoTime() - this.deadline >= 0) {
				this.onTimeout.run();
				loadAlone();
			}
			else {
				attempt(polls + 1);
			}
		});
	}

	/** This caller holds the lease: the value stored meanwhile, or a load; then the lease goes. */
	private void holding(String token) {
		CompletableFuture<T> loaded;
		try {
			loaded = this.access.read(this.key, null).handle((found, ex) -> fresh(found))
				.thenCompose((found) -> (found != null) ? CompletableFuture.completedFuture(found) : this.load.apply(token));
		}
		catch (RuntimeException ex) {
			loaded = this.load.apply(token);
		}
		// the lease goes before the caller is told
		Futures.relay(loaded.whenComplete((value, ex) -> release(this.leases, this.key, token)), this.result);
	}

	private @Nullable T fresh(@Nullable Optional<Entry<T>> found) {
		if (found == null || found.isEmpty() || found.get().isExpired(this.access.now())) {
			return null;
		}
		return found.get().value();
	}

	private void loadAlone() {
		Futures.relay(this.load.apply(null), this.result);
	}

	/** Ends {@code token}'s lease of {@code key}; a failure leaves it to expire. */
	static void release(Leases leases, String key, String token) {
		try {
			leases.release(key, token);
		}
		catch (RuntimeException ex) {
			// the lease expires on its own
		}
	}

}
