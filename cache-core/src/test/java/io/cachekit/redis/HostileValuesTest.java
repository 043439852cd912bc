package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.contract.AsyncFaceAdapter;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.fixtures.HostilePayloads;
import io.cachekit.test.RedisExtension;

/**
 * Values planted under cached keys by someone who can write to Redis but not run code in the
 * application: reading them must answer a miss, delete them, and neither start threads nor
 * stall the backend.
 */
class HostileValuesTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	/** Scheduling noise on a shared 2-core machine. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private static RawRedis raw;

	private RedisCacheBackend<Object> backend;

	@BeforeAll
	static void openRaw() {
		raw = RawRedis.open(redis.url());
	}

	@AfterAll
	static void closeRaw() {
		raw.close();
	}

	@AfterEach
	void tearDown() throws Exception {
		if (this.backend != null) {
			RedisCacheBackend<Object> cache = this.backend;
			within(Duration.ofSeconds(5), () -> {
				cache.shutdown();
				return null;
			});
		}
		raw.commands.del("hostile:timer", "hostile:timers", "hostile:dos", "hostile:good");
	}

	private RedisCacheBackend<Object> backend(CacheSerializer<Object> serializer) {
		this.backend = RedisCacheBackend.builder(redis.url())
			.serializer(serializer)
			.prefix("hostile:")
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(TIMEOUT)
			.build();
		this.backend.initialize();
		return this.backend;
	}

	@Test
	void plantedTimersAreAMissAreDeletedAndStartNoThread() throws Exception {
		RedisCacheBackend<Object> cache = backend(CacheSerializers.json());
		long timersBefore = timerThreads();
		for (CacheBackend<Object> face : List.of(cache, new AsyncFaceAdapter<>(cache.async()))) {
			raw.commands.set("hostile:timer", "[\"java.util.Timer\",{}]".getBytes(StandardCharsets.UTF_8));
			raw.commands.set("hostile:timers", HostilePayloads.thousandTimersJson());
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.get("timer"))).isEmpty();
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.get("timers"))).isEmpty();
			awaitDeleted("hostile:timer");
			awaitDeleted("hostile:timers");
			raw.commands.set("hostile:timers", HostilePayloads.thousandTimersJson());
			face.set("good", "fine");
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.getMany(List.of("timers", "good"))))
				.containsOnlyKeys("good");
			awaitDeleted("hostile:timers");
		}
		assertThat(timerThreads()).isEqualTo(timersBefore);
		assertThat(cache.diagnostics().failureCount("get", ErrorCode.SERIALIZATION)).isEqualTo(4);
	}

	@Test
	void serialDosIsAMissWithinTheTimeoutAndShutdownStillCompletes() throws Exception {
		RedisCacheBackend<Object> cache = backend(CacheSerializers.jdk(List.of()));
		for (CacheBackend<Object> face : List.of(cache, new AsyncFaceAdapter<>(cache.async()))) {
			raw.commands.set("hostile:dos", HostilePayloads.serialDos(55));
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.get("dos"))).isEmpty();
			awaitDeleted("hostile:dos");
			// the connection's event loop is free: the next command is answered at once
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.set("good", "fine"))).isEqualTo(true);
			assertThat(within(TIMEOUT.plus(MARGIN), () -> face.get("good"))).contains("fine");
		}
		this.backend = null;
		within(Duration.ofSeconds(5), () -> {
			cache.shutdown();
			return null;
		});
		assertThat(cache.isRunning()).isFalse();
	}

	private static long timerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("Timer-")).count();
	}

	/** The UNLINK of an unreadable entry is sent before get answers but not awaited. */
	private static void awaitDeleted(String redisKey) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (raw.commands.exists(redisKey) != 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(raw.commands.exists(redisKey)).as(redisKey + " deleted").isEqualTo(0L);
	}

	/** Runs {@code call} on a fresh daemon thread: a regression fails within {@code bound} instead of hanging. */
	private static <R> R within(Duration bound, Callable<R> call) throws Exception {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			try {
				outcome.set(new Object[] { call.call() });
			}
			catch (Throwable ex) {
				outcome.set(ex);
			}
		}, "hostile-call");
		thread.setDaemon(true);
		long start = System.nanoTime();
		thread.start();
		thread.join(bound.toMillis());
		assertThat(thread.isAlive()).as("still waiting after " + bound).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
		if (outcome.get() instanceof Throwable ex) {
			throw (ex instanceof Exception e) ? e : new IllegalStateException(ex);
		}
		@SuppressWarnings("unchecked")
		R result = (R) ((Object[]) outcome.get())[0];
		return result;
	}

}
