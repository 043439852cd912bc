package io.cachekit.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Repository;

/**
 * The catalog's "database": products in memory, each query answering only after
 * {@link #LATENCY}, as a busy remote database would. It counts its loads, which lets a response
 * tell whether it reached this repository (a cache miss) and lets the tests prove what the cache
 * saved.
 */
@Repository
public class ProductRepository {

	/** How long every query takes. */
	public static final Duration LATENCY = Duration.ofMillis(300);

	private final Map<String, Product> products = new ConcurrentSkipListMap<>();

	private final Map<String, LongAdder> loads = new ConcurrentHashMap<>();

	public ProductRepository() {
		List.of(new Product("p1", "Desk lamp", "lighting", new BigDecimal("39.90")),
				new Product("p2", "Floor lamp", "lighting", new BigDecimal("89.00")),
				new Product("p3", "LED strip", "lighting", new BigDecimal("24.50")),
				new Product("p4", "Office chair", "furniture", new BigDecimal("249.00")),
				new Product("p5", "Standing desk", "furniture", new BigDecimal("499.00")),
				new Product("p6", "Bookshelf", "furniture", new BigDecimal("129.00")),
				new Product("p7", "Mechanical keyboard", "electronics", new BigDecimal("119.00")),
				new Product("p8", "USB-C hub", "electronics", new BigDecimal("45.00")))
			.forEach((product) -> this.products.put(product.id(), product));
	}

	/** The product with this id. */
	public Optional<Product> findById(String id) {
		query("product:" + id);
		return Optional.ofNullable(this.products.get(id));
	}

	/** The products with these ids, in one query; unknown ids are left out. */
	public List<Product> findAllById(Collection<String> ids) {
		ids.forEach((id) -> count("product:" + id));
		pause();
		return ids.stream().map(this.products::get).filter(Objects::nonNull).toList();
	}

	/** The products of a category, by id. */
	public List<Product> findByCategory(String category) {
		query("category:" + category);
		return this.products.values().stream().filter((product) -> category.equals(product.category())).toList();
	}

	/** Stores the product, replacing the one with the same id. */
	public Product save(Product product) {
		pause();
		this.products.put(product.id(), product);
		return product;
	}

	/** How many times the product with this id was loaded. */
	public long productLoads(String id) {
		return loads("product:" + id);
	}

	/** How many times the products of this category were loaded. */
	public long categoryLoads(String category) {
		return loads("category:" + category);
	}

	private long loads(String key) {
		LongAdder count = this.loads.get(key);
		return (count != null) ? count.sum() : 0;
	}

	private void query(String key) {
		count(key);
		pause();
	}

	private void count(String key) {
		this.loads.computeIfAbsent(key, (k) -> new LongAdder()).increment();
	}

	private static void pause() {
		try {
			Thread.sleep(LATENCY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while loading", ex);
		}
	}

}
