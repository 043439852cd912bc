package io.cachekit.inmemory.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.cache.test.autoconfigure.AutoConfigureCache;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;
import org.springframework.cache.support.NoOpCacheManager;

import io.cachekit.core.CacheBackend;
import io.cachekit.inmemory.InMemoryCacheBackend;

/**
 * README option 3: {@code @AutoConfigureCache} ({@code spring.cache.type=none}) turns
 * {@code @Cacheable} off; with {@code app.cache.in-memory=true} the injected backend still needs
 * no Redis.
 */
@SpringBootTest(properties = "app.cache.in-memory=true")
@AutoConfigureCache
class NoCachingTest {

	@Autowired
	ShopApplication.ProductService products;

	@Autowired
	CacheManager cacheManager;

	@Autowired
	CacheBackend<Object> cache;

	@Test
	void cacheableMethodsRunEveryTime() {
		assertThat(this.cacheManager).isInstanceOf(NoOpCacheManager.class);
		this.products.find("p1");
		this.products.find("p1");
		assertThat(this.products.loads()).isEqualTo(2);
		assertThat(this.cache).isInstanceOf(InMemoryCacheBackend.class);
		assertThat(this.products.view("p1")).isEqualTo(1);
	}

}
