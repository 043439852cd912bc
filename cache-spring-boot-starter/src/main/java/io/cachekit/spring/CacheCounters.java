package io.cachekit.spring;

import java.util.concurrent.atomic.LongAdder;

/** What a {@link CacheKitCache} (and its typed readers) counted since start. */
final class CacheCounters {

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	void read(boolean hit) {
		(hit ? this.hits : this.misses).increment();
	}

	void put() {
		this.puts.increment();
	}

	void evicted(long count) {
		this.evictions.add(count);
	}

	long hits() {
		return this.hits.sum();
	}

	long misses() {
		return this.misses.sum();
	}

	long puts() {
		return this.puts.sum();
	}

	long evictions() {
		return this.evictions.sum();
	}

}
