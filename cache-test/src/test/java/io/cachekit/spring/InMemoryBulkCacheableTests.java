package io.cachekit.spring;

/**
 * The starter's {@code @BulkCacheable} scenarios ({@link BulkCacheableScenarios}) on the in-memory
 * engine, wired by {@code app.cache.in-memory=true} exactly as over Redis.
 */
class InMemoryBulkCacheableTests extends BulkCacheableScenarios {

	@Override
	CacheEngineFixture engine() {
		return new InMemoryEngineFixture();
	}

}
