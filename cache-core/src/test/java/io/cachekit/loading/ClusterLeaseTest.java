package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * Leases on a Redis Cluster: two backends (two instances of an application) loading the same keys,
 * spread over every master, at the same time, load each key once. The lease's SET NX goes out with
 * CacheKit's own output (so a reply of the wrong shape is told from "held elsewhere"), routed by its
 * key as SET is.
 */
class ClusterLeaseTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	private final List<RedisCacheBackend<Object>> backends = new ArrayList<>();

	@AfterEach
	void stop() {
		this.backends.forEach(RedisCacheBackend::shutdown);
	}

	private RedisCacheBackend<Object> backend() {
		RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url())
			.prefix("cl-lease:")
			.commandTimeout(Duration.ofSeconds(2))
			.layer(LoadingLayer.of(LoadingSettings.defaults().withLeaseTime(Duration.ofSeconds(10))))
			.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	@Test
	void twoInstancesLoadEachKeyOnce() {
		RedisCacheBackend<Object> one = backend();
		RedisCacheBackend<Object> two = backend();
		ConcurrentHashMap<String, AtomicInteger> loads = new ConcurrentHashMap<>();
		List<CompletableFuture<Object>> calls = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			String key = "k" + i;
			for (RedisCacheBackend<Object> backend : List.of(one, two)) {
				calls.add(backend.async().getOrLoad(key, () -> CompletableFuture.supplyAsync(() -> {
					loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
					try {
						Thread.sleep(200);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return "v-" + key;
				})));
			}
		}
		for (int i = 0; i < calls.size(); i++) {
			assertThat(calls.get(i).join()).isEqualTo("v-k" + (i / 2));
		}
		assertThat(loads).hasSize(12);
		assertThat(loads.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
	}

}
