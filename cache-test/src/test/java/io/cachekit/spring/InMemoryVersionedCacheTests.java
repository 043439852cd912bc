package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekit.inmemory.InMemoryCacheBackend;

/** Versioned caches and their sweep on the in-memory engine, as on Redis. */
class InMemoryVersionedCacheTests {

	@Test
	void theSweepRemovesOnlyTheOtherVersionsOfTheCache() {
		InMemoryCacheBackend<Object> backend = InMemoryCacheBackend.create();
		for (String version : new String[] { "1", "2" }) {
			CacheKitCacheManager manager = manager(backend, Map.of("users",
					CacheKitCacheConfiguration.defaults().withVersion(version), "user",
					CacheKitCacheConfiguration.defaults().withVersion("1")));
			manager.getCache("users").put("k", "v" + version);
			manager.getCache("user").put("k", "user-v1");
		}
		CacheKitCacheManager plain = manager(backend, Map.of("users", CacheKitCacheConfiguration.defaults()));
		plain.getCache("users").put("k", "plain");
		CacheKitCacheManager current = manager(backend,
				Map.of("users", CacheKitCacheConfiguration.defaults().withVersion("2")));
		assertThat(current.getCache("users").get("k").get()).isEqualTo("v2");
		assertThat(current.sweepOtherVersions("users")).isEqualTo(1);
		assertThat(current.getCache("users").get("k").get()).isEqualTo("v2");
		assertThat(plain.getCache("users").get("k").get()).isEqualTo("plain");
		assertThat(backend.exists("users::\u0000v1:k")).isFalse();
		assertThat(backend.exists("user::\u0000v1:k")).as("another cache's").isTrue();
	}

	private static CacheKitCacheManager manager(InMemoryCacheBackend<Object> backend,
			Map<String, CacheKitCacheConfiguration> caches) {
		CacheKitCacheManager manager = CacheKitCacheManager.builder(backend).initialCaches(caches).build();
		manager.afterPropertiesSet();
		return manager;
	}

}
