package io.cachekit.near;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the near caches of one {@link NearCacheLayer} did since they were made, summed over every
 * level the layer was put over. Counters only grow; {@link #size()} is the entries held now.
 */
public final class NearCacheStats {

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder invalidations = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private final Map<FlushCause, LongAdder> flushes = new EnumMap<>(FlushCause.class);

	private final List<LongSupplier> sizes = new CopyOnWriteArrayList<>();

	NearCacheStats() {
		for (FlushCause cause : FlushCause.values()) {
			this.flushes.put(cause, new LongAdder());
		}
	}

	/**
	 * Reads answered from the near cache.
	 * @return the count
	 */
	public long hits() {
		return this.hits.sum();
	}

	/**
	 * Reads the near cache could not answer, which went to Redis.
	 * @return the count
	 */
	public long misses() {
		return this.misses.sum();
	}

	/**
	 * Invalidations of one key received from Redis.
	 * @return the count
	 */
	public long invalidations() {
		return this.invalidations.sum();
	}

	/**
	 * Entries dropped to keep within the bound on entries.
	 * @return the count
	 */
	public long evictions() {
		return this.evictions.sum();
	}

	/**
	 * Times every entry was dropped at once, for {@code cause}.
	 * @param cause why
	 * @return the count
	 */
	public long flushes(FlushCause cause) {
		return this.flushes.get(cause).sum();
	}

	/**
	 * Entries held now.
	 * @return the count (approximate while entries change)
	 */
	public long size() {
		long total = 0;
		for (LongSupplier size : this.sizes) {
			total += size.getAsLong();
		}
		return total;
	}

	void hit() {
		this.hits.increment();
	}

	void miss() {
		this.misses.increment();
	}

	void addHits(long count) {
		this.hits.add(count);
	}

	void addMisses(long count) {
		this.misses.add(count);
	}

	void invalidation() {
		this.invalidations.increment();
	}

	void eviction() {
		this.evictions.increment();
	}

	void flush(FlushCause cause) {
		this.flushes.get(cause).increment();
	}

	void addSize(LongSupplier size) {
		this.sizes.add(size);
	}

	@Override
	public String toString() {
		return "NearCacheStats[hits=" + hits() + ", misses=" + misses() + ", invalidations=" + invalidations()
				+ ", evictions=" + evictions() + ", size=" + size() + "]";
	}

}
