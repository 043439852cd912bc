package io.cachekit.inmemory.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.cachekit.core.CacheBackend;
import io.cachekit.inmemory.InMemoryCacheBackend;

/** README option 1: {@code app.cache.in-memory=true}, no Redis anywhere. */
@SpringBootTest(properties = "app.cache.in-memory=true")
class InMemoryPropertyTest {

	@Autowired
	ShopApplication.ProductService products;

	@Autowired
	CacheBackend<Object> cache;

	@Test
	void cacheableAndDirectUseShareTheInMemoryStore() {
		assertThat(this.cache).isInstanceOf(InMemoryCacheBackend.class);
		assertThat(this.products.find("p1")).isEqualTo("product p1");
		assertThat(this.products.find("p1")).isEqualTo("product p1");
		assertThat(this.products.loads()).isEqualTo(1);
		assertThat(((InMemoryCacheBackend<Object>) this.cache).store().keys()).contains("cache:products::p1");
		this.products.evict("p1");
		this.products.find("p1");
		assertThat(this.products.loads()).isEqualTo(2);
		assertThat(this.products.view("p1")).isEqualTo(1);
		assertThat(this.products.view("p1")).isEqualTo(2);
	}

}
