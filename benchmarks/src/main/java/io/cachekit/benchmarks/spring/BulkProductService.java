package io.cachekit.benchmarks.spring;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;

import io.cachekit.benchmarks.support.Payload;
import io.cachekit.spring.bulk.BulkCacheable;

/**
 * The services of {@code BulkCacheableBenchmark}: the same values by id ({@code "k42"}: value 42 of
 * the payload), one at a time ({@code @Cacheable}) or many at once ({@code @BulkCacheable}), in the
 * same cache entries. Counts the ids it really loaded, so a benchmark can check its hit ratio.
 */
public class BulkProductService {

	private final AtomicLong loaded = new AtomicLong();

	private volatile Payload payload = Payload.PRODUCT;

	@Cacheable("bulk-values")
	public Object find(String id) {
		this.loaded.incrementAndGet();
		return value(id);
	}

	@BulkCacheable("bulk-values")
	public Map<String, Object> findAll(Collection<String> ids) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (String id : ids) {
			this.loaded.incrementAndGet();
			values.put(id, value(id));
		}
		return values;
	}

	private Object value(String id) {
		return this.payload.value(Integer.parseInt(id.substring(1)));
	}

	public void setPayload(Payload payload) {
		this.payload = payload;
	}

	public long loaded() {
		return this.loaded.get();
	}

	public void resetLoaded() {
		this.loaded.set(0);
	}

}
