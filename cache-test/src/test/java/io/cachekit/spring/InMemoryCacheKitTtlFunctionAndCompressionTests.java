package io.cachekit.spring;

/**
 * The starter's per-entry TTL and compression scenarios ({@link CacheKitTtlFunctionAndCompressionTests})
 * on the in-memory engine, wired by {@code app.cache.in-memory=true} exactly as over Redis.
 */
class InMemoryCacheKitTtlFunctionAndCompressionTests extends CacheKitTtlFunctionAndCompressionTests {

	@Override
	CacheEngineFixture engine() {
		return new InMemoryEngineFixture();
	}

}
