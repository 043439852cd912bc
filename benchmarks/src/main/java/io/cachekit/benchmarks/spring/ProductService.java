package io.cachekit.benchmarks.spring;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;

import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.Product;

/**
 * The service behind the {@code @Cacheable} proxy: {@code find("k42")} builds product 42 (the same
 * value every other scenario stores) and counts how often it really ran, so that a benchmark can
 * prove it measured hits only.
 */
public class ProductService {

	private final AtomicLong invocations = new AtomicLong();

	@Cacheable("products")
	public Product find(String id) {
		this.invocations.incrementAndGet();
		return (Product) Payload.PRODUCT.value(Integer.parseInt(id.substring(1)));
	}

	public long invocations() {
		return this.invocations.get();
	}

	public void resetInvocations() {
		this.invocations.set(0);
	}

}
