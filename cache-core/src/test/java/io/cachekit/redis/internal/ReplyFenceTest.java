package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.BackendInternals;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisExtension;
import io.lettuce.core.api.StatefulConnection;

/**
 * The reply fence: no reply reaches a caller unless it is proven to be that caller's, at no cost
 * for a caller alone on its connection.
 */
class ReplyFenceTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closing) {
			c.close();
		}
	}

	private RedisCacheBackend<String> backend(String url) {
		return backend(url, Duration.ofMillis(300));
	}

	private RedisCacheBackend<String> backend(String url, Duration commandTimeout) {
		RedisCacheBackend<String> cache = RedisCacheBackend.builder(url)
			.serializer(CacheSerializers.string())
			.prefix("fence:")
			.commandTimeout(commandTimeout)
			.connectTimeout(commandTimeout.plusMillis(200))
			.build();
		cache.initialize();
		this.closing.add(0, cache);
		return cache;
	}

	private static ReplyFence fence(RedisCacheBackend<?> cache) {
		Link link = BackendInternals.engine(cache).connector().link();
		assertThat(link).as("connected").isNotNull();
		return link.fence();
	}

	@Test
	void aCallerAloneOnItsConnectionNeedsNoFence() {
		// timeouts this test is not about: generous, so a cold start on a busy machine connects
		RedisCacheBackend<String> cache = backend(redis.url(), Duration.ofSeconds(5));
		for (int i = 0; i < 500; i++) {
			assertThat(cache.set("k" + i, "k" + i + ":v")).isTrue();
			assertThat(cache.get("k" + i)).contains("k" + i + ":v");
		}
		assertThat(fence(cache).fencesSent()).as("replies proven by counting alone").isZero();
	}

	@Test
	void concurrentCallersShareFencesAndGetTheirOwnValues() throws Exception {
		RedisCacheBackend<String> cache = backend(redis.url());
		for (int i = 0; i < 50; i++) {
			cache.set("k" + i, "k" + i + ":v");
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		AtomicLong calls = new AtomicLong();
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int seed = t;
				done.add(threads.submit(() -> {
					for (int i = 0; i < 400; i++) {
						String key = "k" + ((i * 7 + seed) % 50);
						Optional<String> value = (i % 2 == 0) ? cache.get(key) : cache.async().get(key).join();
						assertThat(value).contains(key + ":v");
						calls.incrementAndGet();
					}
				}));
			}
			for (Future<?> f : done) {
				f.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		long fences = fence(cache).fencesSent();
		assertThat(fences).as("fences, for %s calls", calls.get()).isLessThan(calls.get());
	}

	/**
	 * Commands written together are fenced once: with Lettuce's auto-flush off, fifty callers'
	 * commands reach the I/O thread as one write, behind which one fence proves all fifty replies
	 * (one fence per command before batching).
	 */
	@RepeatedTest(5)
	void commandsWrittenTogetherShareOneFence() {
		// timeouts this test is not about: generous, so a busy machine drops no connection
		RedisCacheBackend<String> cache = backend(redis.url(), Duration.ofSeconds(5));
		for (int i = 0; i < 50; i++) {
			cache.set("b" + i, "b" + i + ":v");
		}
		ReplyFence fence = fence(cache);
		long before = fence.fencesSent();
		StatefulConnection<String, byte[]> connection = BackendInternals.engine(cache).connector().link().connection();
		List<CompletableFuture<Optional<String>>> replies = new ArrayList<>();
		connection.setAutoFlushCommands(false);
		try {
			for (int i = 0; i < 50; i++) {
				replies.add(cache.async().get("b" + i));
			}
		}
		finally {
			// on again before the buffered commands go: the fence behind them is sent as usual
			connection.setAutoFlushCommands(true);
			connection.flushCommands();
		}
		for (int i = 0; i < 50; i++) {
			assertThat(replies.get(i).join()).contains("b" + i + ":v");
		}
		assertThat(fence.fencesSent() - before).as("fences for 50 commands written at once").isBetween(1L, 2L);
	}

	/** A command lost on the way shifts every later reply: none of them may reach a caller. */
	@RepeatedTest(10)
	void aLostCommandNeverHandsACallerAnotherKeysValue() throws Exception {
		RedisCacheBackend<String> direct = backend(redis.url());
		Map<String, String> expected = new java.util.HashMap<>();
		for (int i = 0; i < 40; i++) {
			expected.put("k" + i, "k" + i + ":v");
		}
		assertThat(direct.setMany(expected)).isTrue();
		FaultProxy proxy = FaultProxy.start(redis.url());
		this.closing.add(proxy);
		RedisCacheBackend<String> cache = backend(proxy.url());
		Link before = BackendInternals.engine(cache).connector().link();
		ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong hits = new AtomicLong();
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			for (int t = 0; t < 6; t++) {
				int seed = t;
				threads.submit(() -> {
					int i = seed;
					while (!stop.get()) {
						String key = "k" + (i++ % 40);
						try {
							if (i % 3 == 0) {
								Map<String, String> many = cache.getMany(List.of(key, "k" + (i % 40)));
								many.forEach((k, v) -> check(k, v, wrong, hits));
							}
							else {
								CacheBackend<String> face = cache;
								Optional<String> value = (i % 2 == 0) ? face.get(key) : cache.async().get(key).join();
								value.ifPresent((v) -> check(key, v, wrong, hits));
							}
						}
						catch (Throwable ex) {
							thrown.add(ex);
						}
					}
				});
			}
			Thread.sleep(100);
			proxy.dropNextCommand();
			assertThat(proxy.awaitDropped(Duration.ofSeconds(5))).as("a command was dropped").isTrue();
			// the shift is found, the connection replaced, and values are served again
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (BackendInternals.engine(cache).connector().link() == before && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(BackendInternals.engine(cache).connector().link()).as("connection replaced").isNotSameAs(before);
			long hitsAfterReplace = hits.get();
			long served = System.nanoTime() + Duration.ofSeconds(2).toNanos();
			while (hits.get() <= hitsAfterReplace && System.nanoTime() < served) {
				Thread.sleep(5);
			}
			assertThat(hits.get()).as("hits within 2 s of the replacement").isGreaterThan(hitsAfterReplace);
		}
		finally {
			stop.set(true);
			threads.shutdown();
			threads.awaitTermination(10, TimeUnit.SECONDS);
		}
		assertThat(wrong).as("values handed to callers of other keys").isEmpty();
		assertThat(thrown).as("exceptions in fail-open").isEmpty();
	}

	private static void check(String key, String value, ConcurrentLinkedQueue<String> wrong, AtomicLong hits) {
		if (!value.equals(key + ":v")) {
			wrong.add(key + " -> " + value);
		}
		hits.incrementAndGet();
	}

}
