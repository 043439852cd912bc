package io.cachekit.inmemory.example;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.stereotype.Service;

import io.cachekit.core.CacheBackend;

/** The application of README's "Testing your application": a service with {@code @Cacheable} and a counter. */
@SpringBootApplication
@EnableCaching
public class ShopApplication {

	@Service
	public static class ProductService {

		private final AtomicInteger loads = new AtomicInteger();

		private final CacheBackend<Object> cache;

		public ProductService(CacheBackend<Object> cache) {
			this.cache = cache;
		}

		@Cacheable("products")
		public String find(String id) {
			this.loads.incrementAndGet();
			return "product " + id;
		}

		@CacheEvict("products")
		public void evict(String id) {
		}

		public int loads() {
			return this.loads.get();
		}

		public long view(String id) {
			return this.cache.incr("views:" + id);
		}

	}

}
