package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekit.loading.LoadingSettings;
import io.cachekit.near.NearCache;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * Versioned caches on a real Redis (standalone and cluster, by subclass): instances of two
 * versions side by side, each reading only its own entries with its hit ratio intact, through a
 * near cache and the loading layer; the sweep of other versions removing nothing else.
 */
abstract class VersionedCacheScenarios {

	private final List<RedisCacheBackend<Object>> backends = new ArrayList<>();

	/** @return this class's Redis */
	abstract RedisExtension redis();

	/** @return every master (one for a single server) */
	abstract List<RedisProcess> masters();

	@BeforeEach
	@AfterEach
	void flush() {
		this.backends.forEach(RedisCacheBackend::close);
		this.backends.clear();
		masters().forEach((node) -> Resp.call(node.host(), node.port(), "FLUSHALL"));
	}

	private RedisCacheBackend<Object> backend(String prefix, boolean near) {
		// counts are asserted, not latency: a slow command on a busy machine must not fail a sweep
		var builder = RedisCacheBackend.builder(redis().url())
			.prefix(prefix)
			.commandTimeout(Duration.ofSeconds(5))
			.connectTimeout(Duration.ofSeconds(5));
		if (near) {
			builder.layer(NearCache.defaults().layer());
		}
		RedisCacheBackend<Object> backend = builder.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	private CacheKitCacheManager manager(RedisCacheBackend<Object> backend, Map<String, CacheKitCacheConfiguration> caches) {
		CacheKitCacheManager manager = CacheKitCacheManager.builder(backend).initialCaches(caches).build();
		manager.afterPropertiesSet();
		return manager;
	}

	private static CacheKitCacheConfiguration version(String version) {
		return CacheKitCacheConfiguration.defaults().withLoading(LoadingSettings.defaults()).withVersion(version);
	}

	/** Every key of every master. */
	private Set<String> allKeys() {
		Set<String> keys = new HashSet<>();
		for (RedisProcess node : masters()) {
			for (Object key : (List<?>) Resp.call(node.host(), node.port(), "KEYS", "*")) {
				keys.add((String) key);
			}
		}
		return keys;
	}

	@Test
	void twoVersionsOnOneRedisReadOnlyTheirOwnEntriesAndKeepTheirHits() {
		CacheKitCache one = (CacheKitCache) manager(backend("vs:", true), Map.of("products", version("1")))
			.getCache("products");
		CacheKitCache two = (CacheKitCache) manager(backend("vs:", true), Map.of("products", version("2")))
			.getCache("products");
		AtomicInteger loadsOne = new AtomicInteger();
		AtomicInteger loadsTwo = new AtomicInteger();
		int keys = 40;
		for (int i = 0; i < keys; i++) {
			String key = "p" + i;
			if (i % 2 == 0) {
				// written by both, interleaved
				one.put(key, "one-" + key);
				two.put(key, "two-" + key);
			}
			else {
				// loaded by both, interleaved, through the loading layer
				assertThat(one.get(key, () -> "one-" + key + "#" + loadsOne.incrementAndGet())).isNotNull();
				assertThat(two.get(key, () -> "two-" + key + "#" + loadsTwo.incrementAndGet())).isNotNull();
			}
		}
		assertThat(loadsOne).hasValue(keys / 2);
		assertThat(loadsTwo).hasValue(keys / 2);
		long hitsBefore = one.getHitCount() + two.getHitCount();
		long missesBefore = one.getMissCount() + two.getMissCount();
		int reads = 0;
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < keys; i++) {
				String key = "p" + i;
				assertThat((String) one.get(key).get()).as("version 1's %s", key).startsWith("one-" + key);
				assertThat((String) two.get(key).get()).as("version 2's %s", key).startsWith("two-" + key);
				reads += 2;
			}
		}
		assertThat(one.getHitCount() + two.getHitCount() - hitsBefore).as("hits: every read").isEqualTo(reads);
		assertThat(one.getMissCount() + two.getMissCount() - missesBefore).as("misses").isZero();
		assertThat(loadsOne).as("no reload").hasValue(keys / 2);
		assertThat(loadsTwo).as("no reload").hasValue(keys / 2);
		assertThat(one.getVersion()).isEqualTo("1");
		assertThat(two.getVersion()).isEqualTo("2");
		// clear() is the current version's: the other one keeps its entries
		one.clear();
		for (int i = 0; i < keys; i++) {
			assertThat(one.get("p" + i)).isNull();
			assertThat(two.get("p" + i)).isNotNull();
		}
	}

	@Test
	void theSweepRemovesOnlyTheOtherVersionsOfItsCache() {
		RedisCacheBackend<Object> backend = backend("sw:", false);
		RedisCacheBackend<Object> otherPrefix = backend("sw:x:", false);
		List<String> names = List.of("users", "user", "users2", "{grp}users");
		Set<String> doomed = new HashSet<>();
		for (String version : List.of("v1", "v2", "v3")) {
			Map<String, CacheKitCacheConfiguration> caches = new java.util.LinkedHashMap<>();
			names.forEach((name) -> caches.put(name, version(version)));
			CacheKitCacheManager manager = manager(backend, caches);
			CacheKitCacheManager elsewhere = manager(otherPrefix, caches);
			for (String name : names) {
				for (int i = 0; i < 30; i++) {
					// plain keys, keys with a hash tag of their own, a prefix that nests ours
					String key = (i % 3 == 0) ? "{t" + i + "}k" + i : "k" + i;
					manager.getCache(name).put(key, version + "-" + i);
					elsewhere.getCache(name).put(key, version + "-" + i);
				}
			}
		}
		// unversioned entries of the same cache names stay too
		CacheKitCacheManager unversioned = manager(backend, Map.of("users", CacheKitCacheConfiguration.defaults(),
				"{grp}users", CacheKitCacheConfiguration.defaults()));
		for (int i = 0; i < 10; i++) {
			unversioned.getCache("users").put("k" + i, "plain");
			unversioned.getCache("{grp}users").put("k" + i, "plain");
		}
		Set<String> before = allKeys();
		for (String key : before) {
			if (key.startsWith("sw:users::\u0000vv1:") || key.startsWith("sw:users::\u0000vv2:")
					|| key.startsWith("sw:{grp}users::\u0000vv1:") || key.startsWith("sw:{grp}users::\u0000vv2:")) {
				doomed.add(key);
			}
		}
		assertThat(doomed).hasSize(2 * 2 * 30);
		Map<String, CacheKitCacheConfiguration> current = Map.of("users", version("v3"), "{grp}users", version("v3"));
		CacheKitCacheManager manager = manager(backend, current);
		assertThat(manager.sweepOtherVersions("users")).isEqualTo(60);
		assertThat(manager.sweepOtherVersions()).containsOnly(Map.entry("users", 0L), Map.entry("{grp}users", 60L));
		Set<String> expected = new HashSet<>(before);
		expected.removeAll(doomed);
		assertThat(allKeys()).isEqualTo(expected);
		// the current version still reads its own
		assertThat(manager.getCache("users").get("k1").get()).isEqualTo("v3-1");
		assertThat(manager.getCache("{grp}users").get("{t3}k3").get()).isEqualTo("v3-3");
	}

}
