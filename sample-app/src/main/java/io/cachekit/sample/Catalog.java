package io.cachekit.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.stereotype.Service;

import io.cachekit.core.CacheBackend;

/**
 * The catalog, cached two ways: with Spring's cache annotations, which CacheKit's
 * {@code CacheManager} serves from Redis with the TTLs of {@code app.cache.caches.*}, and by hand
 * through the auto-configured {@link CacheBackend} for a batch read.
 */
@Service
public class Catalog {

	private final ProductRepository repository;

	private final CacheBackend<Object> cache;

	private final Executor executor;

	private final Duration productsTtl;

	public Catalog(ProductRepository repository, CacheBackend<Object> cache,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor executor,
			@Value("${app.cache.caches.products.ttl}") Duration productsTtl) {
		this.repository = repository;
		this.cache = cache;
		this.executor = executor;
		this.productsTtl = productsTtl;
	}

	/** A product, loaded from the repository only when the {@code products} cache does not have it. */
	@Cacheable("products")
	public Optional<Product> product(String id) {
		return this.repository.findById(id);
	}

	/**
	 * Saves a product and puts the saved version in the {@code products} cache (the next read is a
	 * hit with the new values); category listings may have changed, so they are all evicted.
	 */
	@Caching(put = @CachePut(cacheNames = "products", key = "#result.id"),
			evict = @CacheEvict(cacheNames = "categories", allEntries = true))
	public Product save(Product product) {
		return this.repository.save(product);
	}

	/** Evicts a product from the {@code products} cache: the next read loads it again. */
	@CacheEvict("products")
	public void evict(String id) {
	}

	/**
	 * The products of a category, without blocking the caller: a hit completes as soon as Redis
	 * answers, a miss when the repository has answered on the task executor (never on Redis' I/O
	 * thread, which completes the cache lookup).
	 */
	@Cacheable("categories")
	public CompletableFuture<List<Product>> productsIn(String category) {
		return CompletableFuture.supplyAsync(() -> this.repository.findByCategory(category), this.executor);
	}

	/**
	 * Several products at once, by hand: one MGET for the entries the {@code products} cache holds,
	 * one repository query for the rest, stored with one atomic multi-set under the same keys and
	 * TTL, so later {@code @Cacheable} reads find them too.
	 */
	public Batch products(List<String> requested) {
		List<String> ids = requested.stream().distinct().toList();
		Map<String, Object> cached = this.cache.getMany(ids.stream().map(Catalog::productKey).toList());
		List<String> missing = ids.stream().filter((id) -> !cached.containsKey(productKey(id))).toList();
		Map<String, Product> loaded = new LinkedHashMap<>();
		if (!missing.isEmpty()) {
			this.repository.findAllById(missing).forEach((product) -> loaded.put(productKey(product.id()), product));
			this.cache.setMany(loaded, this.productsTtl);
		}
		List<Product> products = ids.stream()
			.map((id) -> (Product) cached.getOrDefault(productKey(id), loaded.get(productKey(id))))
			.filter(Objects::nonNull)
			.toList();
		return new Batch(products, cached.size(), missing.size());
	}

	/**
	 * Where the {@code products} cache keeps a product: CacheKit's bridge stores cache
	 * {@code name}'s entry for {@code key} under {@code name::key}.
	 */
	private static String productKey(String id) {
		return "products::" + id;
	}

	/**
	 * The answer of {@link #products(List)}.
	 *
	 * @param products the products found, in request order
	 * @param fromCache how many ids the cache answered
	 * @param fromRepository how many ids had to be looked up in the repository
	 */
	public record Batch(List<Product> products, int fromCache, int fromRepository) {
	}

}
