package io.cachekit.core.layer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One flight per key at a time: the first caller for a key starts the work, callers that come
 * while it runs join it and share its outcome. The key's record goes only once the work is done
 * (for a load: once its value was written), so a caller that finds no record finds the work's
 * result where the work put it, or starts the work itself. Every per-key coalescing in CacheKit
 * is one of these.
 *
 * @param <V> the value type of the work
 */
public final class SingleFlight<V> {

	private final ConcurrentMap<String, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

	/**
	 * Joins the flight of {@code key}, or starts {@code work} as that flight when none is running.
	 * @param key the key
	 * @param work starts the work (called at most once, only when no flight of the key runs); what it throws fails the flight
	 * @return the flight: its outcome, and whether this caller joined one already running
	 */
	public Flight<V> run(String key, Supplier<? extends CompletableFuture<V>> work) {
		CompletableFuture<V> mine = new CompletableFuture<>();
		CompletableFuture<V> running = this.flights.putIfAbsent(key, mine);
		if (running != null) {
			return new Flight<>(running, true);
		}
		// the record goes before anyone is told, so a caller told of the outcome starts afresh
		Futures.relay(Futures.start(work).whenComplete((value, ex) -> this.flights.remove(key, mine)), mine);
		return new Flight<>(mine, false);
	}

	/**
	 * Starts a flight of {@code key} whose work the caller does itself, unless one runs: for work
	 * that serves many keys at once (a bulk load), which then ends each flight it claimed with
	 * {@link #land}. A claimed flight must be landed, whatever happens.
	 * @param key the key
	 * @return the running flight to join, or {@code null} when this caller claimed the key
	 */
	public @Nullable CompletableFuture<V> claim(String key) {
		return this.flights.putIfAbsent(key, new CompletableFuture<>());
	}

	/**
	 * Ends the flight of {@code key} this caller {@linkplain #claim claimed}: its record goes, then
	 * the callers that joined it are told {@code value} (or {@code failure}).
	 * @param key the key
	 * @param value the outcome, when {@code failure} is {@code null}
	 * @param failure what failed, or {@code null}
	 */
	public void land(String key, @Nullable V value, @Nullable Throwable failure) {
		CompletableFuture<V> flight = this.flights.remove(key);
		if (flight == null) {
			throw new IllegalStateException("no flight of '" + key + "' was claimed");
		}
		if (failure != null) {
			flight.completeExceptionally(failure);
		}
		else {
			flight.complete(value);
		}
	}

	/**
	 * Whether a flight of {@code key} is running.
	 * @param key the key
	 * @return whether one runs now
	 */
	public boolean isRunning(String key) {
		return this.flights.containsKey(key);
	}

	/**
	 * One caller's view of a flight.
	 * @param <V> the value type
	 * @param outcome the flight's outcome
	 * @param joined whether the caller joined a flight already running (rather than starting it)
	 */
	public record Flight<V>(CompletableFuture<V> outcome, boolean joined) {
	}

}
