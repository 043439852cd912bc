package io.cachekit.near;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisCluster;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

import static io.cachekit.near.NearClusterFixtures.keysOnEveryMaster;
import static io.cachekit.near.NearClusterFixtures.owner;
import static io.cachekit.near.NearClusterFixtures.setElsewhere;
import static io.cachekit.near.NearClusterFixtures.warm;
import static io.cachekit.near.NearFixtures.await;
import static io.cachekit.near.NearFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache on a local Redis Cluster (3 masters, 3 replicas): tracking on every master's
 * connection, invalidations from every node, a flush of one node dropping only that node's keys,
 * and zero permanent staleness under concurrent writers.
 */
class NearCacheClusterTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.cluster();

	@Test
	void aWriteByAnotherClientOnAnyMasterIsNoLongerServedWithin100Ms() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend(redis.url(), "cw:", layer)) {
			List<String> keys = keysOnEveryMaster(cluster, "cw:", 4);
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			for (String key : keys) {
				setElsewhere(cluster, "cw:" + key, "v2");
				long nanos = await(Duration.ofMillis(100), () -> cache.get(key).equals(Optional.of("v2")));
				assertThat(nanos).as("%s (on %s) served fresh within 100 ms", key, owner(cluster, "cw:" + key))
					.isNotNegative();
			}
			assertThat(layer.stats().invalidations()).as("invalidations from the masters").isGreaterThanOrEqualTo(keys.size());
			for (String key : keys) {
				warm(cache, layer, key, "v3");
			}
		}
	}

	@Test
	void broadcastModeIsInvalidatedByEveryMasterToo() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().withTracking(TrackingMode.BROADCAST).layer();
		try (RedisCacheBackend<String> cache = backend(redis.url(), "cb:", layer)) {
			List<String> keys = keysOnEveryMaster(cluster, "cb:", 2);
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			for (String key : keys) {
				setElsewhere(cluster, "cb:" + key, "v2");
				assertThat(await(Duration.ofMillis(100), () -> cache.get(key).equals(Optional.of("v2"))))
					.as("%s served fresh within 100 ms", key)
					.isNotNegative();
			}
		}
	}

	@Test
	void aFlushOfOneMasterDropsOnlyWhatThatMasterServed() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend(redis.url(), "cf:", layer)) {
			List<String> keys = keysOnEveryMaster(cluster, "cf:", 3);
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			RedisProcess flushed = cluster.masters().get(0);
			Resp.call(flushed.host(), flushed.port(), "FLUSHALL");
			assertThat(await(Duration.ofSeconds(1), () -> layer.stats().flushes(FlushCause.SERVER_FLUSH) > 0))
				.isNotNegative();
			for (String key : keys) {
				boolean onFlushed = owner(cluster, "cf:" + key) == flushed;
				long hits = layer.stats().hits();
				Optional<String> answer = cache.get(key);
				if (onFlushed) {
					assertThat(answer).as("%s was flushed with its master", key).isEmpty();
				}
				else {
					assertThat(answer).contains("v1");
					assertThat(layer.stats().hits()).as("%s of another master still a near hit", key).isEqualTo(hits + 1);
				}
			}
		}
	}

	@Test
	void flushAllOnEveryMasterEmptiesTheNearCache() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		NearCacheLayer layer = NearCache.defaults().layer();
		try (RedisCacheBackend<String> cache = backend(redis.url(), "ca:", layer)) {
			List<String> keys = keysOnEveryMaster(cluster, "ca:", 2);
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			for (RedisProcess master : cluster.masters()) {
				Resp.call(master.host(), master.port(), "FLUSHALL");
			}
			assertThat(await(Duration.ofSeconds(1), () -> layer.stats().size() == 0)).as("L1 empty").isNotNegative();
			for (String key : keys) {
				assertThat(cache.get(key)).isEmpty();
			}
			assertThat(layer.stats().flushes(FlushCause.SERVER_FLUSH)).isGreaterThanOrEqualTo(3);
		}
	}

	/** Writers on a cluster connection of their own and readers through the near cache end equal. */
	@RepeatedTest(10)
	void everyKeyEndsEqualToRedis() throws Exception {
		String prefix = "cs" + ThreadLocalRandom.current().nextInt(1_000_000) + ":";
		List<String> keys = keysOnEveryMaster(redis.redisCluster(), prefix, 6);
		NearCacheLayer layer = NearCache.defaults().layer();
		List<RedisURI> seeds = redis.redisCluster().masters().stream().map((m) -> RedisURI.create(m.url())).toList();
		RedisClusterClient client = RedisClusterClient.create(seeds);
		try (RedisCacheBackend<String> cache = RedisCacheBackend.builder(redis.url())
			.serializer(NearFixtures.slow(30_000))
			.prefix(prefix)
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(layer)
			.build(); StatefulRedisClusterConnection<String, String> writer = client.connect()) {
			cache.initialize();
			AtomicBoolean stop = new AtomicBoolean();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			List<Thread> threads = new ArrayList<>();
			for (int w = 0; w < 2; w++) {
				int id = w;
				threads.add(started(() -> {
					long seq = 0;
					while (!stop.get()) {
						String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
						writer.sync().set(prefix + key, "w" + id + "-" + seq++);
					}
				}, failure));
			}
			for (int r = 0; r < 6; r++) {
				threads.add(started(() -> {
					while (!stop.get()) {
						cache.get(keys.get(ThreadLocalRandom.current().nextInt(keys.size())));
					}
				}, failure));
			}
			runFor(Duration.ofMillis(800), stop, threads, failure);
			Thread.sleep(200);
			for (String key : keys) {
				String inRedis = writer.sync().get(prefix + key);
				assertThat(cache.get(key)).as("key %s", key).isEqualTo(Optional.ofNullable(inRedis));
			}
			assertThat(layer.stats().hits()).as("the near cache served some reads").isPositive();
			assertThat(layer.stats().invalidations()).as("the masters pushed invalidations").isPositive();
			cache.clear();
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	/**
	 * Through a loading layer with envelopes (and leases) over the near cache: near hits send no
	 * read to any master, {@code getMany} of keys read before sends none, a write elsewhere is
	 * seen, and under concurrent writers (another client's plain values, the backend's own
	 * envelopes) and readers every key ends equal to what a backend without a near cache reads.
	 */
	@RepeatedTest(3)
	void throughALoadingLayerNearHitsSendNothingAndEveryKeyEndsEqualToRedis() throws Exception {
		RedisCluster cluster = redis.redisCluster();
		String prefix = "cl" + ThreadLocalRandom.current().nextInt(1_000_000) + ":";
		List<String> keys = keysOnEveryMaster(cluster, prefix, 4);
		NearCacheLayer layer = NearCache.defaults().layer();
		LoadingSettings envelopes = LoadingSettings.defaults().withEarlyRefresh(true).withStaleGrace(Duration.ofSeconds(30));
		try (RedisCacheBackend<String> cache = backend(redis.url(), prefix, layer, LoadingLayer.of(envelopes));
				RedisCacheBackend<String> plain = backend(redis.url(), prefix, LoadingLayer.of(envelopes))) {
			for (String key : keys) {
				warm(cache, layer, key, "v1");
			}
			resetStats(cluster);
			for (int i = 0; i < 20; i++) {
				for (String key : keys) {
					assertThat(cache.get(key)).contains("v1");
					assertThat(cache.getOrLoad(key, () -> "loaded")).isEqualTo("v1");
				}
				assertThat(cache.getMany(keys)).hasSize(keys.size());
			}
			assertThat(readsOnTheMasters(cluster)).as("near hits through the loading layer").isZero();
			for (String key : keys) {
				setElsewhere(cluster, prefix + key, "v2");
				assertThat(await(Duration.ofSeconds(1), () -> cache.get(key).equals(Optional.of("v2"))))
					.as("%s written elsewhere, seen", key).isNotNegative();
			}

			AtomicBoolean stop = new AtomicBoolean();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			List<Thread> threads = new ArrayList<>();
			threads.add(started(() -> {
				long seq = 0;
				while (!stop.get()) {
					setElsewhere(cluster, prefix + keys.get(ThreadLocalRandom.current().nextInt(keys.size())), "w" + seq++);
				}
			}, failure));
			threads.add(started(() -> {
				long seq = 0;
				while (!stop.get()) {
					cache.set(keys.get(ThreadLocalRandom.current().nextInt(keys.size())), "own" + seq++);
				}
			}, failure));
			for (int r = 0; r < 4; r++) {
				threads.add(started(() -> {
					while (!stop.get()) {
						String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
						cache.get(key);
						cache.getOrLoad(key, () -> "loaded");
						cache.getMany(keys);
					}
				}, failure));
			}
			runFor(Duration.ofMillis(800), stop, threads, failure);
			for (String key : keys) {
				Optional<String> inRedis = plain.get(key);
				assertThat(await(Duration.ofSeconds(1), () -> cache.get(key).equals(inRedis))).as("key %s", key)
					.isNotNegative();
			}
			cache.clear();
		}
	}

	private static void resetStats(RedisCluster cluster) {
		for (RedisProcess master : NearClusterFixtures.masters(cluster)) {
			Resp.call(master.host(), master.port(), "CONFIG", "RESETSTAT");
		}
	}

	/** The reads (GET, GETEX, MGET, scripts) every master served since {@link #resetStats}. */
	private static long readsOnTheMasters(RedisCluster cluster) {
		long reads = 0;
		for (RedisProcess master : NearClusterFixtures.masters(cluster)) {
			String stats = String.valueOf(Resp.call(master.host(), master.port(), "INFO", "commandstats"));
			for (String line : stats.split("\r?\n")) {
				String command = line.startsWith("cmdstat_") ? line.substring("cmdstat_".length(), line.indexOf(':')) : "";
				if (Set.of("get", "getex", "mget", "evalsha", "eval", "pttl").contains(command)) {
					reads += Long.parseLong(line.substring(line.indexOf("calls=") + "calls=".length()).split(",")[0]);
				}
			}
		}
		return reads;
	}

	/** Lets {@code threads} run for {@code time}, stops them, and fails with the first failure of one. */
	private static void runFor(Duration time, AtomicBoolean stop, List<Thread> threads, AtomicReference<Throwable> failure)
			throws InterruptedException {
		Thread.sleep(time.toMillis());
		stop.set(true);
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(failure.get()).isNull();
	}

	private static Thread started(Runnable body, AtomicReference<Throwable> failure) {
		Thread thread = new Thread(() -> {
			try {
				body.run();
			}
			catch (Throwable ex) {
				failure.compareAndSet(null, ex);
			}
		});
		thread.start();
		return thread;
	}

}
