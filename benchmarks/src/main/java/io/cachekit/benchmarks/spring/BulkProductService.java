package io.cachekit.benchmarks.spring;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;

import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.Product;
import io.cachekit.spring.bulk.BulkCacheable;

/**
 * The services of {@code BulkCacheableBenchmark}: the same products by id, one at a time
 * ({@code @Cacheable}) or many at once ({@code @BulkCacheable}), in the same cache entries.
 * Counts the ids it really loaded, so a benchmark can check its hit ratio.
 */
public class BulkProductService {

	private final AtomicLong loaded = new AtomicLong();

	@Cacheable("bulk-products")
	public Product find(String id) {
		this.loaded.incrementAndGet();
		return product(id);
	}

	@BulkCacheable("bulk-products")
	public Map<String, Product> findAll(Collection<String> ids) {
		Map<String, Product> products = new LinkedHashMap<>();
		for (String id : ids) {
			this.loaded.incrementAndGet();
			products.put(id, product(id));
		}
		return products;
	}

	private static Product product(String id) {
		return (Product) Payload.PRODUCT.value(Integer.parseInt(id.substring(1)));
	}

	public long loaded() {
		return this.loaded.get();
	}

	public void resetLoaded() {
		this.loaded.set(0);
	}

}
