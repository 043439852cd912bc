package io.cachekit.loading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.BulkLoad;
import io.cachekit.core.OperationListener;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.Futures;
import io.cachekit.core.layer.SingleFlight;

/**
 * {@code getAllOrLoad} of a loading level: per-key coalescing in this JVM through the level's own
 * {@link SingleFlight}, shared with {@code getOrLoad}. A call first claims a flight for each of its
 * keys ({@link SingleFlight#claim}; joining the flights already running: their keys are neither
 * read nor loaded here), then reads the keys it claimed in one batch, calls the loader once with
 * those missing, writes what it answered in one batch and only then lands its flights (one future
 * for the batch, none per key), so a caller that finds no flight finds the
 * value stored. A flight of a key the loader left out ends with {@code null}: a bulk caller
 * leaves the key out, a {@code getOrLoad} caller loads it itself. Claiming before reading is what
 * makes "at most one load per key at a time" hold without a second read: a value stored by a
 * flight that ended before the claim is seen by the read.
 *
 * <p>No lease across JVMs (a batch would wait for its slowest holder) and no early refresh or
 * stale serving: an entry past its logical expiry is a miss.
 *
 * @param <T> the value type
 */
final class BulkFlights<T> {

	private final LoadingLevel<T> level;

	private final CacheLevel<T> below;

	private final EntryAccess<T> access;

	private final SingleFlight<T> flights;

	private final LoadingStats stats;

	private final OperationListener listener;

	private final Executor background;

	BulkFlights(LoadingLevel<T> level, CacheLevel<T> below, EntryAccess<T> access, SingleFlight<T> flights,
			LoadingStats stats, OperationListener listener, Executor background) {
		this.level = level;
		this.below = below;
		this.access = access;
		this.flights = flights;
		this.stats = stats;
		this.listener = listener;
		this.background = background;
	}

	CompletableFuture<Map<String, T>> getAllOrLoad(Set<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn) {
		Map<String, CompletableFuture<T>> joined = new LinkedHashMap<>();
		Set<String> claimed = new LinkedHashSet<>(keys.size() * 4 / 3 + 1);
		CompletableFuture<Map<String, T>> landed;
		try {
			for (String key : keys) {
				CompletableFuture<T> running = this.flights.claim(key);
				if (running == null) {
					claimed.add(key);
				}
				else {
					this.stats.record(this.listener, LoadingStats.COALESCED_WAIT, 0);
					joined.put(key, running);
				}
			}
		}
		finally {
			// every flight claimed lands, whatever happens here
			CompletableFuture<Map<String, T>> batch = claimed.isEmpty() ? CompletableFuture.completedFuture(Map.of())
					: Futures.start(() -> load(claimed, loader, ttl, loadOn));
			// the records go before this caller is told, so a caller told of the outcome starts afresh
			landed = batch.whenComplete((values, ex) -> {
				Throwable failure = (ex != null) ? Futures.unwrap(ex) : null;
				for (String key : claimed) {
					this.flights.land(key, (values != null) ? values.get(key) : null, failure);
				}
			});
		}
		if (joined.isEmpty()) {
			// the values of the keys claimed (all of them), in request order
			return landed;
		}
		return CompletableFuture.allOf(joined.values().toArray(CompletableFuture[]::new)).thenCombine(landed,
				(done, values) -> {
					Map<String, T> answer = new LinkedHashMap<>();
					for (String key : keys) {
						CompletableFuture<T> other = joined.get(key);
						T value = (other != null) ? other.join() : values.get(key);
						if (value != null) {
							answer.put(key, value);
						}
					}
					return answer;
				});
	}

	/** The values of {@code claimed}: one read, one load of those missing, one write. */
	private CompletableFuture<Map<String, T>> load(Set<String> claimed,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn) {
		Executor work = (loadOn != null) ? loadOn : this.background;
		return read(claimed, loadOn).thenComposeAsync((found) -> {
			Set<String> missing = BulkLoad.missing(claimed, found);
			if (missing.isEmpty()) {
				return CompletableFuture.completedFuture(found);
			}
			long start = System.nanoTime();
			return BulkLoad.<T>start(missing, loader).handle((loaded, ex) -> {
				this.stats.record(this.listener, LoadingStats.LOAD, System.nanoTime() - start);
				if (ex != null) {
					this.stats.loadFailed();
					return CompletableFuture.<Map<String, T>>failedFuture(Futures.unwrap(ex));
				}
				CompletableFuture<Boolean> write = loaded.isEmpty() ? CompletableFuture.completedFuture(true)
						: this.level.storeLoaded(loaded, ttl);
				return write.handle((stored, writeEx) -> BulkLoad.answer(claimed, found, loaded));
			}).thenCompose((stage) -> stage);
		}, work);
	}

	/** The unexpired values of {@code keys}: one batch read through the level below, or entry by entry when entries are the layer's own. */
	private CompletableFuture<Map<String, T>> read(Set<String> keys, @Nullable Executor decodeOn) {
		if (!this.access.ownsReads()) {
			return (decodeOn != null) ? this.below.getMany(keys, decodeOn) : this.below.getMany(keys);
		}
		List<String> order = new ArrayList<>(keys);
		List<CompletableFuture<Optional<Entry<T>>>> reads = new ArrayList<>(order.size());
		for (String key : order) {
			reads.add(this.access.read(key, decodeOn));
		}
		return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply((done) -> {
			Map<String, T> found = new LinkedHashMap<>();
			long now = this.access.now();
			for (int i = 0; i < order.size(); i++) {
				Optional<Entry<T>> entry = reads.get(i).join();
				if (entry.isPresent() && !entry.get().isExpired(now)) {
					found.put(order.get(i), entry.get().value());
				}
			}
			return found;
		});
	}

}
