package io.cachekit.near;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * The L1 of one level: a bounded Caffeine map from key to either a kept value or the marker of a
 * read in flight.
 * <p>
 * Why no invalidation is ever lost to a read in flight (the race of lettuce #3481): a read puts
 * its marker before it sends its command, and keeps its value only by swapping that very marker
 * for it, atomically ({@link #keep}). An invalidation or flush removes whatever the key holds,
 * marker included, so a read that an invalidation overtook finds its marker gone and keeps
 * nothing. A flush also moves the epoch on, so a read that began before it keeps nothing either.
 * <p>
 * A flush of one {@link Tracking.Origin} (a cluster node) removes only the values read on it, not
 * the markers, so {@link #keep} looks again once its value is in: the engine moved the origin's
 * generation on before the flush began, so a value kept after the flush passed its key finds the
 * generation changed and takes itself out; one kept before the flush began is removed by it.
 */
final class NearStore {

	/** The marker of a read in flight, of the epoch it began in. */
	static final class Pending {

		final long epoch;

		Pending(long epoch) {
			this.epoch = epoch;
		}

	}

	/**
	 * A kept value (the decoded object, or its bytes with copy-on-read), when it expires, and the
	 * connection it was read on where the engine has several.
	 */
	record Kept(Object value, long expiresAtNanos, Tracking.@Nullable Origin origin) {
	}

	private final Cache<String, Object> cache;

	private final AtomicLong epoch = new AtomicLong();

	private final NearCacheStats stats;

	NearStore(long maxEntries, NearCacheStats stats) {
		this.stats = stats;
		// No time-based expiry in Caffeine (it would read the clock on every hit once more): each
		// entry's deadline is checked by hit(), and an entry past it is replaced by the next read or
		// evicted by size like any other.
		// Bounded by weight: a kept value weighs 1, a read's marker 0, so reads in flight never
		// push kept values out and the bound counts values only.
		this.cache = Caffeine.newBuilder()
			.maximumWeight(maxEntries)
			.weigher((String key, Object held) -> (held instanceof Kept) ? 1 : 0)
			.evictionListener((String key, @Nullable Object value, RemovalCause cause) -> {
				if (cause == RemovalCause.SIZE && value instanceof Kept) {
					stats.eviction();
				}
			})
			.executor(Runnable::run)
			.build();
	}

	/** The kept value of {@code key}, or {@code null} (also once its own local TTL ended). */
	@Nullable Object hit(String key) {
		Object held = this.cache.getIfPresent(key);
		if (held instanceof Kept kept && kept.expiresAtNanos() - System.nanoTime() > 0) {
			return kept.value();
		}
		return null;
	}

	/**
	 * Marks a read of {@code key} about to be sent: a read already in flight shares its marker.
	 * @return the marker to {@link #keep} with, or {@code null} when a value was kept meanwhile
	 */
	@Nullable Pending begin(String key) {
		long current = this.epoch.get();
		Object held = this.cache.asMap().compute(key, (k, v) -> (v instanceof Pending p && p.epoch == current) ? v
				: (v instanceof Kept kept && kept.expiresAtNanos() - System.nanoTime() > 0) ? v : new Pending(current));
		return (held instanceof Pending p) ? p : null;
	}

	/** Keeps what {@code read} answered, unless an invalidation or a flush overtook it. */
	boolean keep(String key, Pending marker, Object value, long expiresAtNanos, Tracking.Read read) {
		if (marker.epoch != this.epoch.get() || expiresAtNanos - System.nanoTime() <= 0 || !read.stillCurrent()) {
			abandon(key, marker);
			return false;
		}
		Kept kept = new Kept(value, expiresAtNanos, read.origin());
		if (!this.cache.asMap().replace(key, marker, kept)) {
			return false;
		}
		if (!read.stillCurrent()) {
			// its origin was flushed meanwhile, maybe after the flush passed this key
			this.cache.asMap().remove(key, kept);
			return false;
		}
		return true;
	}

	/** The read of {@code marker} keeps nothing. */
	void abandon(String key, Pending marker) {
		this.cache.asMap().remove(key, marker);
	}

	/** Drops whatever {@code key} holds, a read's marker included. */
	void invalidate(String key) {
		this.cache.asMap().remove(key);
	}

	/** Drops everything, markers included; reads in flight keep nothing. */
	void flush() {
		this.epoch.incrementAndGet();
		this.cache.asMap().clear();
	}

	/** Drops every value read on {@code origin}, whose generation the engine already moved on. */
	void flush(Tracking.Origin origin) {
		this.cache.asMap().values().removeIf((held) -> held instanceof Kept kept && kept.origin() == origin);
	}

	/** Values held now (reads in flight not counted), as of Caffeine's last maintenance. */
	long size() {
		return this.cache.policy().eviction().map((eviction) -> eviction.weightedSize().orElse(0)).orElse(0L);
	}

	/** Runs Caffeine's pending maintenance (tests). */
	void cleanUp() {
		this.cache.cleanUp();
	}

}
