package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * Fenced loader writes on a real Redis (standalone and cluster, by subclass): a loader slower
 * than its lease does not write over the value of the instance that took the lease after it,
 * and a write or delete of a key during its load is not undone by the load's write, in this
 * instance and from another one.
 */
abstract class FencedLoadScenarios {

	/** Bound of any wait for the machine: generous, as the machine is shared; never slept out. */
	private static final long WAIT_SECONDS = 30;

	private final List<RedisCacheBackend<String>> backends = new ArrayList<>();

	abstract RedisExtension redis();

	@AfterEach
	void close() {
		this.backends.forEach(RedisCacheBackend::close);
	}

	private RedisCacheBackend<String> backend(String prefix, LoadingLayer layer) {
		RedisCacheBackend<String> backend = RedisCacheBackend.builder(redis().url())
			.serializer(CacheSerializers.string())
			.prefix(prefix)
			.commandTimeout(Duration.ofSeconds(5))
			.layer(layer)
			.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	/** A load of {@code key} by {@code backend} on another thread, its loader held until {@code release}. */
	private static CompletableFuture<String> heldLoad(RedisCacheBackend<String> backend, String key, String value,
			CountDownLatch started, CountDownLatch release) {
		return CompletableFuture.supplyAsync(() -> backend.getOrLoad(key, () -> {
			started.countDown();
			assertThat(release.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("released").isTrue();
			return value;
		}, Duration.ofMinutes(5)));
	}

	private static void await(CountDownLatch latch) throws InterruptedException {
		assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the loader started").isTrue();
	}

	@Test
	void aSlowLoaderWhoseLeaseExpiredDoesNotOverwriteTheNewerValue() throws Exception {
		// the lease runs out while the first loader works; the second instance waits it out (its
		// lease wait is longer), takes the lease, loads and stores; then the first one finishes
		LoadingSettings settings = LoadingSettings.defaults()
			.withLeaseTime(Duration.ofMillis(300))
			.withLeaseWait(Duration.ofSeconds(WAIT_SECONDS));
		LoadingLayer slowLayer = LoadingLayer.of(settings);
		RedisCacheBackend<String> slow = backend("fence-lease:", slowLayer);
		RedisCacheBackend<String> fast = backend("fence-lease:", LoadingLayer.of(settings));
		for (int round = 0; round < 10; round++) {
			String key = "k" + round;
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> old = heldLoad(slow, key, "old-" + round, started, release);
			await(started);
			String newer = "new-" + round;
			assertThat(fast.getOrLoad(key, () -> newer, Duration.ofMinutes(5))).isEqualTo(newer);
			release.countDown();
			assertThat(old.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("its own caller gets the old load").isEqualTo("old-" + round);
			assertThat(slow.get(key)).as("round %d", round).contains("new-" + round);
			assertThat(fast.get(key)).contains("new-" + round);
			assertThat(slowLayer.getStats().discardedWrites()).isEqualTo(round + 1);
		}
	}

	@Test
	void anEvictionOrAPutDuringALoadIsNotUndoneInThisInstance() throws Exception {
		// no lease: only this JVM's fences keep the load's value out
		LoadingLayer layer = LoadingLayer.coalescing();
		RedisCacheBackend<String> backend = backend("fence-local:", layer);
		for (boolean evict : new boolean[] { true, false }) {
			String key = evict ? "evicted" : "put";
			backend.set(key, "before");
			// a miss starts the load: the entry is gone first
			backend.delete(key);
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> load = heldLoad(backend, key, "loaded", started, release);
			await(started);
			if (evict) {
				backend.delete(key);
			}
			else {
				backend.set(key, "written");
			}
			release.countDown();
			assertThat(load.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("loaded");
			assertThat(backend.get(key)).isEqualTo(evict ? Optional.empty() : Optional.of("written"));
		}
		assertThat(layer.getStats().discardedWrites()).isEqualTo(2);
		// a load nothing overtook stores its value
		assertThat(backend.getOrLoad("quiet", () -> "stored")).isEqualTo("stored");
		assertThat(backend.get("quiet")).contains("stored");
	}

	@Test
	void anEvictionOrAPutByAnotherInstanceDuringALeasedLoadIsNotUndone() throws Exception {
		LoadingSettings settings = LoadingSettings.defaults().withLeaseTime(Duration.ofSeconds(WAIT_SECONDS));
		LoadingLayer loaderLayer = LoadingLayer.of(settings);
		RedisCacheBackend<String> loader = backend("fence-remote:", loaderLayer);
		RedisCacheBackend<String> writer = backend("fence-remote:", LoadingLayer.of(settings));
		for (boolean evict : new boolean[] { true, false }) {
			String key = evict ? "evicted" : "put";
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> load = heldLoad(loader, key, "loaded", started, release);
			await(started);
			if (evict) {
				writer.delete(key);
			}
			else {
				writer.set(key, "written");
			}
			release.countDown();
			assertThat(load.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("loaded");
			assertThat(writer.get(key)).isEqualTo(evict ? Optional.empty() : Optional.of("written"));
		}
		assertThat(loaderLayer.getStats().discardedWrites()).isEqualTo(2);
		assertThat(loader.getOrLoad("quiet", () -> "stored")).isEqualTo("stored");
		assertThat(writer.get("quiet")).contains("stored");
	}

}
