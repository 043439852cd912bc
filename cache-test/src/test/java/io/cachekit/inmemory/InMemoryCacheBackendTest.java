package io.cachekit.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;

/** What the contract suite cannot show about the in-memory backend: its clock, copies, store and threads. */
class InMemoryCacheBackendTest {

	private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));

	private final InMemoryCacheBackend<Object> cache = InMemoryCacheBackend.builder().clock(this.clock).build();

	@Test
	void defaultsMirrorRedisCacheBackend() {
		InMemoryCacheBackend<Object> defaults = InMemoryCacheBackend.create();
		assertThat(defaults.getPrefix()).isEqualTo("cache:");
		assertThat(defaults.getDefaultTtl()).isEqualTo(Duration.ofHours(1));
		assertThat(defaults.getFailureMode()).isEqualTo(FailureMode.FAIL_OPEN);
		defaults.set("k", "v");
		assertThat(defaults.store().keys()).containsExactly("cache:k");
		assertThat(defaults.store().ttl("cache:k")).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1)));
	}

	@Test
	void entriesExpireWhenTheClockPassesTheirTtl() {
		this.cache.set("k", "v", Duration.ofSeconds(10));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.cache.get("k")).contains("v");
		assertThat(this.cache.getTtl("k")).contains(Duration.ZERO);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.cache.get("k")).isEmpty();
		assertThat(this.cache.exists("k")).isFalse();
		assertThat(this.cache.store().keys()).isEmpty();
	}

	@Test
	void defaultTtlAndZeroFollowTheClock() {
		this.cache.set("default", "v");
		this.cache.set("forever", "v", Duration.ZERO);
		this.clock.advance(Duration.ofDays(365));
		assertThat(this.cache.exists("default")).isFalse();
		assertThat(this.cache.get("forever")).contains("v");
	}

	@Test
	void aCounterWindowOpensAtCreationAndClosesOnTime() {
		assertThat(this.cache.incr("hits", 1, 0, Duration.ofMinutes(1))).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(this.cache.incr("hits", 1, 0, Duration.ofMinutes(1))).isEqualTo(2);
		assertThat(this.cache.getTtl("hits")).contains(Duration.ofSeconds(1));
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.cache.incr("hits", 1, 0, Duration.ofMinutes(1))).isEqualTo(1);
	}

	@Test
	void expireAtUsesTheStoreClock() {
		this.cache.set("k", "v", Duration.ZERO);
		assertThat(this.cache.expireAt("k", this.clock.instant().plusSeconds(5))).isTrue();
		assertThat(this.cache.getTtl("k")).contains(Duration.ofSeconds(5));
		assertThat(this.cache.expireAt("k", this.clock.instant())).isTrue();
		assertThat(this.cache.exists("k")).isFalse();
	}

	@Test
	void aValueChangedAfterSetDoesNotChangeTheCachedOne() {
		List<String> tags = new ArrayList<>(List.of("a"));
		this.cache.set("tags", tags);
		tags.add("b");
		assertThat(this.cache.get("tags")).contains(List.of("a"));
		@SuppressWarnings("unchecked")
		List<String> read = (List<String>) this.cache.get("tags").orElseThrow();
		read.add("c");
		assertThat(this.cache.get("tags")).contains(List.of("a"));
	}

	@Test
	void rawBytesAreCopiedInAndOut() {
		CacheBackend<byte[]> raw = this.cache.withSerializer(CacheSerializers.bytes());
		byte[] written = { 1, 2, 3 };
		raw.set("b", written);
		written[0] = 9;
		byte[] read = raw.get("b").orElseThrow();
		assertThat(read).containsExactly(1, 2, 3);
		read[1] = 9;
		assertThat(raw.getMany(List.of("b")).get("b")).containsExactly(1, 2, 3);
	}

	@Test
	void storedBytesAreThoseTheSerializerWrote() {
		CacheBackend<String> strings = this.cache.withSerializer(CacheSerializers.string());
		strings.set("s", "plain");
		assertThat(this.cache.store().getBytes("cache:s")).hasValueSatisfying(
				(bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("plain"));
		strings.incr("n", 2, 40, null);
		assertThat(strings.get("n")).contains("42");
	}

	@Test
	void unreadableBytesAreAMissAndDeletedInFailOpen() {
		this.cache.store().putBytes("cache:bad", new byte[] { '{', 'x' });
		assertThat(this.cache.get("bad")).isEmpty();
		assertThat(this.cache.store().contains("cache:bad")).isFalse();
		this.cache.store().putBytes("cache:bad", new byte[] { '{', 'x' });
		this.cache.set("good", "g");
		assertThat(this.cache.getMany(List.of("bad", "good"))).containsExactly(Map.entry("good", "g"));
	}

	@Test
	void unreadableBytesThrowInFailFast() {
		InMemoryCacheBackend<Object> strict = InMemoryCacheBackend.builder().failureMode(FailureMode.FAIL_FAST).build();
		strict.store().putBytes("cache:bad", new byte[] { '{', 'x' });
		assertThatThrownBy(() -> strict.get("bad")).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("get of 'cache:bad'");
		assertThatThrownBy(() -> strict.async().getMany(List.of("bad")).join()).hasCauseInstanceOf(CacheSerializationException.class);
		assertThat(strict.store().contains("cache:bad")).isTrue();
	}

	@Test
	void wrongTypeErrorsAsInRedis() {
		this.cache.addToSet("tags", "red");
		assertThatThrownBy(() -> this.cache.get("tags")).isInstanceOf(CacheException.class)
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.REDIS_ERROR))
			.hasMessageContaining("WRONGTYPE");
		assertThatThrownBy(() -> this.cache.incr("tags")).hasMessageContaining("WRONGTYPE");
		assertThat(this.cache.getMany(List.of("tags"))).isEmpty();
		this.cache.set("text", "hello");
		assertThatThrownBy(() -> this.cache.getSetMembers("text")).hasMessageContaining("WRONGTYPE");
		assertThatThrownBy(() -> this.cache.removeFromSet("text", "x")).hasMessageContaining("WRONGTYPE");
		assertThatThrownBy(() -> this.cache.incr("text")).hasMessageContaining("not an integer");
		assertThat(this.cache.set("tags", "now a string")).isTrue();
	}

	@Test
	void counterSyntaxAndOverflowAreRedis() {
		CacheBackend<String> strings = this.cache.withSerializer(CacheSerializers.string());
		for (String notAnInteger : List.of("01", "+1", " 1", "-0", "1.0", "", "99999999999999999999")) {
			strings.set("n", notAnInteger);
			assertThatThrownBy(() -> strings.incr("n")).as(notAnInteger)
				.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.REDIS_ERROR));
		}
		strings.set("n", "-12");
		assertThat(strings.incr("n", 2)).isEqualTo(-10);
		strings.set("max", Long.toString(Long.MAX_VALUE));
		assertThatThrownBy(() -> strings.incr("max")).hasMessageContaining("overflow");
		assertThat(strings.get("max")).contains(Long.toString(Long.MAX_VALUE));
	}

	@Test
	void anEmptiedSetIsRemoved() {
		this.cache.addManyToSet("s", List.of("a", "b"));
		this.cache.removeFromSet("s", "a");
		this.cache.removeFromSet("s", "b");
		assertThat(this.cache.exists("s")).isFalse();
	}

	@Test
	void backendsWithTheirOwnPrefixShareOneStore() {
		InMemoryStore store = new InMemoryStore(this.clock);
		InMemoryCacheBackend<Object> users = InMemoryCacheBackend.builder().store(store).prefix("users:").build();
		InMemoryCacheBackend<Object> orders = InMemoryCacheBackend.builder().store(store).prefix("orders:").build();
		users.set("1", "alice");
		orders.set("1", "o-1");
		assertThat(store.keys()).containsExactly("orders:1", "users:1");
		assertThat(users.clear()).isTrue();
		assertThat(store.keys()).containsExactly("orders:1");
		assertThat(orders.get("1")).contains("o-1");
		store.flush();
		assertThat(store.size()).isZero();
	}

	@Test
	void aSharedStoreKeepsItsOwnClock() {
		InMemoryStore store = new InMemoryStore();
		assertThatThrownBy(() -> InMemoryCacheBackend.builder().store(store).clock(this.clock).build())
			.isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> InMemoryCacheBackend.builder().prefix("")).hasMessageContaining("prefix must not be empty");
		assertThatThrownBy(() -> InMemoryCacheBackend.builder().defaultTtl(Duration.ofSeconds(-1)))
			.hasMessageContaining("defaultTtl must not be negative");
	}

	@Test
	void theAsyncFaceAnswersCompletedFuturesAndFailsThemInsteadOfThrowing() {
		assertThat(this.cache.async().set("k", "v")).isCompletedWithValue(true);
		assertThat(this.cache.async().get("k").join()).contains("v");
		assertThat(this.cache.async().get("")).isCompletedExceptionally();
		assertThat(this.cache.async().sync()).isSameAs(this.cache);
	}

	@Test
	void concurrentCountersLoseNoIncrement() throws Exception {
		int threads = 8;
		int perThread = 2_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				done.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						this.cache.incr("c");
						this.cache.addToSet("s", Thread.currentThread().getName() + ":" + i);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> f : done) {
				f.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.cache.incr("c", 0)).isEqualTo((long) threads * perThread);
		assertThat(this.cache.getSetMembers("s")).hasSize(threads * perThread);
	}

	@Test
	void noReaderSeesHalfASetMany() throws Exception {
		Map<String, Object> batch = new LinkedHashMap<>();
		for (int i = 0; i < 50; i++) {
			batch.put("k" + i, 0);
		}
		AtomicBoolean stop = new AtomicBoolean();
		AtomicBoolean torn = new AtomicBoolean();
		Thread reader = new Thread(() -> {
			while (!stop.get()) {
				Map<String, Object> seen = this.cache.getMany(batch.keySet());
				if (!seen.isEmpty() && (seen.size() != batch.size() || seen.values().stream().distinct().count() != 1)) {
					torn.set(true);
				}
			}
		});
		reader.start();
		try {
			for (int round = 1; round <= 500; round++) {
				int value = round;
				batch.replaceAll((k, v) -> value);
				this.cache.setMany(batch, Duration.ZERO);
			}
		}
		finally {
			stop.set(true);
			reader.join(10_000);
		}
		assertThat(torn).isFalse();
	}

}
