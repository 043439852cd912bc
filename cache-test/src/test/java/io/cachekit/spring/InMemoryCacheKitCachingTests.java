package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.cache.CacheManager;

import io.cachekit.spring.CacheKitCachingTests.Catalog;

/**
 * The starter's bridge scenarios ({@link CacheKitCachingTests}) on the in-memory engine, wired by
 * {@code app.cache.in-memory=true} exactly as over Redis; and a cache with a value type, stampede
 * protection and near cache settings on it (the near cache is left out: README says it needs
 * Redis client tracking).
 */
class InMemoryCacheKitCachingTests extends CacheKitCachingTests {

	@Override
	CacheEngineFixture engine() {
		return new InMemoryEngineFixture();
	}

	@Test
	void aCacheWithAValueTypeALoadingLayerAndANearCacheWorksInMemory() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.typed.loading.enabled=true", "app.cache.caches.typed.loading.ttl-jitter=0.1",
					"app.cache.caches.typed.near-cache.enabled=true")
			.run((context) -> {
				Catalog catalog = context.getBean(Catalog.class);
				assertThat(catalog.typed("t1")).isEqualTo(new Product("t1", "typed"));
				assertThat(catalog.typed("t1")).isEqualTo(new Product("t1", "typed"));
				assertThat(catalog.counts().typedLoads).hasValue(1);
				CacheKitCache cache = (CacheKitCache) context.getBean(CacheManager.class).getCache("typed");
				assertThat(cache.getConfiguration().getValueType()).isEqualTo(Product.class);
				assertThat(cache.getConfiguration().getLoading()).isNotNull();
				assertThat(cache.getLoadingStats()).as("the cache's stampede protection").isNotNull();
				assertThat(cache.getConfiguration().getNearCache()).as("its near cache settings").isNotNull();
				assertThat(cache.getNearCacheStats()).as("no near cache: no client tracking in memory").isNull();
				assertThat(this.engine.call("GET", "it:typed::t1")).as("plain JSON of the value type")
					.isEqualTo("{\"id\":\"t1\",\"name\":\"typed\"}");
			});
	}

}
