package io.cachekit.spring;

/**
 * The starter's bridge scenarios ({@link CacheKitCachingTests}) on the in-memory engine, wired by
 * {@code app.cache.in-memory=true} exactly as over Redis.
 */
class InMemoryCacheKitCachingTests extends CacheKitCachingTests {

	@Override
	CacheEngineFixture engine() {
		return new InMemoryEngineFixture();
	}

}
