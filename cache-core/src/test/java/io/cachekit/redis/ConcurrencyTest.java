package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;

/** Atomicity under contention, on one shared backend as an application would use it. */
class ConcurrencyTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private static RedisCacheBackend<Object> cache;

	private static ExecutorService pool;

	@BeforeAll
	static void open() {
		cache = RedisCacheBackend.builder(redis.url())
			.prefix("cc:" + System.nanoTime() + ":")
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(5))
			.build();
		cache.initialize();
		pool = Executors.newFixedThreadPool(8);
	}

	@AfterAll
	static void close() {
		pool.shutdownNow();
		cache.clear();
		cache.shutdown();
	}

	@Test
	void eightThreadsIncrementingTenThousandTimesEachEndAtEightyThousand() throws Exception {
		CyclicBarrier start = new CyclicBarrier(8);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			workers.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < 10_000; i++) {
					cache.incr("counter", 1, 0, Duration.ofMinutes(5));
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get(120, TimeUnit.SECONDS);
		}
		assertThat(cache.incr("counter", 0, 0, null)).isEqualTo(80_000);
	}

	@Test
	void addRacedByEightThreadsSucceedsExactlyOnce() throws Exception {
		for (int round = 0; round < 50; round++) {
			String key = "race-" + round;
			CyclicBarrier start = new CyclicBarrier(8);
			List<Future<Boolean>> racers = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int id = t;
				racers.add(pool.submit(() -> {
					start.await();
					return cache.add(key, "winner-" + id);
				}));
			}
			int wins = 0;
			String winner = null;
			for (int t = 0; t < 8; t++) {
				if (racers.get(t).get(30, TimeUnit.SECONDS)) {
					wins++;
					winner = "winner-" + t;
				}
			}
			assertThat(wins).as("round " + round).isEqualTo(1);
			assertThat(cache.get(key)).contains(winner);
		}
	}

}
