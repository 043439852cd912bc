package io.cachekit.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;

/**
 * The catalog over HTTP. Reads say where their answer came from and how long it took:
 * {@code X-Cache: HIT} when the repository was not needed, {@code MISS} when it was (and
 * {@code PARTIAL} for a batch that needed it for some ids), and {@code X-Response-Time-ms}.
 * Reading a product also counts a view in a one-minute window ({@code X-Views-This-Minute}).
 */
@RestController
public class ProductController {

	private static final Duration VIEW_WINDOW = Duration.ofMinutes(1);

	private final Catalog catalog;

	private final ProductRepository repository;

	private final CacheBackend<Object> cache;

	public ProductController(Catalog catalog, ProductRepository repository, CacheBackend<Object> cache) {
		this.catalog = catalog;
		this.repository = repository;
		this.cache = cache;
	}

	/** One product, through {@code @Cacheable}. */
	@GetMapping("/products/{id}")
	public ResponseEntity<Product> product(@PathVariable String id) {
		long start = System.nanoTime();
		long loads = this.repository.productLoads(id);
		Optional<Product> product = this.catalog.product(id);
		String source = (this.repository.productLoads(id) == loads) ? "HIT" : "MISS";
		if (product.isEmpty()) {
			return withCacheHeaders(ResponseEntity.status(HttpStatus.NOT_FOUND), source, start).build();
		}
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		countView(id).ifPresent((views) -> response.header("X-Views-This-Minute", Long.toString(views)));
		return withCacheHeaders(response, source, start).body(product.get());
	}

	/** Several products ({@code ?ids=p1,p2}), through the backend's batch operations. */
	@GetMapping("/products")
	public ResponseEntity<List<Product>> products(@RequestParam List<String> ids) {
		long start = System.nanoTime();
		Catalog.Batch batch = this.catalog.products(ids);
		String source = (batch.fromRepository() == 0) ? "HIT" : (batch.fromCache() == 0) ? "MISS" : "PARTIAL";
		return withCacheHeaders(ResponseEntity.ok(), source, start).body(batch.products());
	}

	/** Saves a product; through {@code @CachePut} the next read is a hit with the new values. */
	@PutMapping("/products/{id}")
	public Product save(@PathVariable String id, @RequestBody ProductChange change) {
		return this.catalog.save(new Product(id, change.name(), change.category(), change.price()));
	}

	/** Evicts a product from the cache, through {@code @CacheEvict}. */
	@DeleteMapping("/products/{id}/cache")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	public void evict(@PathVariable String id) {
		this.catalog.evict(id);
	}

	/** The products of a category, through a {@code @Cacheable} method answering a {@code CompletableFuture}. */
	@GetMapping("/categories/{category}/products")
	public CompletableFuture<ResponseEntity<List<Product>>> category(@PathVariable String category) {
		long start = System.nanoTime();
		long loads = this.repository.categoryLoads(category);
		return this.catalog.productsIn(category).thenApply((products) -> {
			String source = (this.repository.categoryLoads(category) == loads) ? "HIT" : "MISS";
			return withCacheHeaders(ResponseEntity.ok(), source, start).body(products);
		});
	}

	/**
	 * Counts a view of the product in a fixed one-minute window: the counter starts at 0 with a
	 * 60 s TTL at the first view and disappears with it. Counters have no neutral answer when Redis
	 * is down (they throw even in fail-open mode), so a failure only leaves the count out.
	 */
	private Optional<Long> countView(String id) {
		try {
			return Optional.of(this.cache.incr("views:" + id, 1, 0, VIEW_WINDOW));
		}
		catch (CacheException ex) {
			return Optional.empty();
		}
	}

	private static ResponseEntity.BodyBuilder withCacheHeaders(ResponseEntity.BodyBuilder response, String source,
			long startNanos) {
		long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
		return response.header("X-Cache", source).header("X-Response-Time-ms", Long.toString(millis));
	}

	/**
	 * The new values of a product.
	 *
	 * @param name what the product is called
	 * @param category the category it is listed under
	 * @param price its price
	 */
	public record ProductChange(String name, String category, BigDecimal price) {
	}

}
