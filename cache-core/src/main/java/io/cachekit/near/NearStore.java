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
 */
final class NearStore {

	/** The marker of a read in flight, of the epoch it began in. */
	static final class Pending {

		final long epoch;

		Pending(long epoch) {
			this.epoch = epoch;
		}

	}

	/** A kept value (the decoded object, or its bytes with copy-on-read) and when it expires. */
	record Kept(Object value, long expiresAtNanos) {
	}

	private final Cache<String, Object> cache;

	private final AtomicLong epoch = new AtomicLong();

	private final NearCacheStats stats;

	NearStore(long maxEntries, NearCacheStats stats) {
		this.stats = stats;
		// No time-based expiry in Caffeine (it would read the clock on every hit once more): each
		// entry's deadline is checked by hit(), and an entry past it is replaced by the next read or
		// evicted by size like any other.
		this.cache = Caffeine.newBuilder()
			.maximumSize(maxEntries)
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

	/** Keeps what a read answered, unless an invalidation or a flush overtook it. */
	boolean keep(String key, Pending marker, Object value, long expiresAtNanos) {
		if (marker.epoch != this.epoch.get() || expiresAtNanos - System.nanoTime() <= 0) {
			abandon(key, marker);
			return false;
		}
		return this.cache.asMap().replace(key, marker, new Kept(value, expiresAtNanos));
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

	/** Entries held now, markers included. */
	long size() {
		return this.cache.estimatedSize();
	}

	/** Runs Caffeine's pending maintenance (tests). */
	void cleanUp() {
		this.cache.cleanUp();
	}

}
