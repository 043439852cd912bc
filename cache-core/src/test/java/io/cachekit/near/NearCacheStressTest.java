package io.cachekit.near;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zero permanent staleness: writers on connections of their own and readers through the near
 * cache race on a few keys; once they stop and the last invalidations arrived, every key the near
 * cache answers equals what Redis holds. Decoding is slowed so that invalidations often land
 * between a read's reply and its keeping (the race of lettuce #3481).
 */
class NearCacheStressTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private static final int KEYS = 16;

	@RepeatedTest(10)
	void everyKeyEndsEqualToRedis() throws Exception {
		run(NearCache.defaults(), false);
	}

	@RepeatedTest(4)
	void everyKeyEndsEqualToRedisInBroadcastMode() throws Exception {
		run(NearCache.defaults().withTracking(TrackingMode.BROADCAST), false);
	}

	/** The same while the backend's connection is killed every 150 ms, with reads in flight. */
	@RepeatedTest(4)
	void everyKeyEndsEqualToRedisThroughReconnects() throws Exception {
		run(NearCache.defaults(), true);
	}

	private void run(NearCache settings, boolean killConnections) throws Exception {
		String prefix = "stress" + ThreadLocalRandom.current().nextInt(1_000_000) + ":";
		NearCacheLayer layer = settings.layer();
		List<NearFixtures.Raw> writers = new ArrayList<>();
		String clientName = "near-stress-" + ThreadLocalRandom.current().nextInt(1_000_000);
		try (RedisCacheBackend<String> cache = RedisCacheBackend.builder(redis.url())
			.serializer(NearFixtures.slow(30_000))
			.prefix(prefix)
			.clientName(clientName)
			.failureMode(killConnections ? FailureMode.FAIL_OPEN : FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(layer)
			.build();
				NearFixtures.Raw killer = new NearFixtures.Raw(redis.url())) {
			cache.initialize();
			for (int w = 0; w < 3; w++) {
				writers.add(new NearFixtures.Raw(redis.url()));
			}
			AtomicBoolean stop = new AtomicBoolean();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			List<Thread> threads = new ArrayList<>();
			for (int w = 0; w < writers.size(); w++) {
				NearFixtures.Raw writer = writers.get(w);
				int id = w;
				threads.add(started(() -> {
					long seq = 0;
					while (!stop.get()) {
						int key = ThreadLocalRandom.current().nextInt(KEYS);
						writer.commands.set(prefix + key, "w" + id + "-" + seq++);
					}
				}));
			}
			for (int r = 0; r < 6; r++) {
				threads.add(started(() -> {
					try {
						while (!stop.get()) {
							cache.get(String.valueOf(ThreadLocalRandom.current().nextInt(KEYS)));
						}
					}
					catch (Throwable ex) {
						failure.set(ex);
					}
				}));
			}
			if (killConnections) {
				threads.add(started(() -> {
					while (!stop.get()) {
						kill(killer, clientName);
						try {
							Thread.sleep(150);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}));
			}
			Thread.sleep(800);
			stop.set(true);
			for (Thread thread : threads) {
				thread.join();
			}
			assertThat(failure.get()).isNull();
			// let the last invalidations arrive (they follow the writes within microseconds), and
			// after kills the connection come back and its circuit close, so that reads are answered
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while ((!cache.diagnostics().isConnected() || cache.diagnostics().isCircuitOpen())
					&& System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			Thread.sleep(200);
			NearFixtures.Raw check = writers.get(0);
			for (int key = 0; key < KEYS; key++) {
				String inRedis = check.commands.get(prefix + key);
				assertThat(cache.get(String.valueOf(key))).as("key %d", key).isEqualTo(Optional.ofNullable(inRedis));
			}
			assertThat(layer.stats().hits()).as("the near cache served some reads").isPositive();
			assertThat(layer.stats().invalidations()).as("Redis pushed invalidations").isPositive();
			if (killConnections) {
				assertThat(layer.stats().flushes(FlushCause.RECONNECTED)).as("reconnected").isPositive();
			}
			else {
				// pushes interleaved with replies never put the reply fence out of step (which would condemn the connection)
				assertThat(layer.stats().flushes(FlushCause.DISCONNECTED) + layer.stats().flushes(FlushCause.RECONNECTED))
					.isZero();
			}
			cache.clear();
		}
		finally {
			writers.forEach(NearFixtures.Raw::close);
		}
	}

	/** Kills the connection named {@code clientName}, if it is up. */
	private static void kill(NearFixtures.Raw killer, String clientName) {
		for (String line : killer.commands.clientList().split("\n")) {
			if (line.contains(" name=" + clientName + " ")) {
				String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
				try {
					killer.commands.clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
				}
				catch (RuntimeException ex) {
					// gone meanwhile
				}
			}
		}
	}

	private static Thread started(Runnable body) {
		Thread thread = new Thread(body);
		thread.start();
		return thread;
	}

}
