package io.cachekit.loading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.FailureMode;
import io.cachekit.core.TagsNotSupportedException;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tags through the plain-Java API against a real Redis: what every topology must do. A subclass
 * says where Redis is and which servers hold the keys.
 */
abstract class TagScenarios {

	/** What the near cache promises for another client's write (docs/near-cache.md): 100 ms. */
	static final Duration NEAR_CACHE_BOUND = Duration.ofMillis(100);

	private final List<RedisCacheBackend<String>> backends = new ArrayList<>();

	final String prefix = "tags:" + System.nanoTime() + ":";

	abstract String url();

	/** The masters that hold keys (one for a single server). */
	abstract List<RedisProcess> masters();

	@AfterEach
	void close() {
		this.backends.forEach(RedisCacheBackend::shutdown);
	}

	RedisCacheBackend<String> backend(boolean tags) {
		return backend(tags, null);
	}

	RedisCacheBackend<String> backend(boolean tags, io.cachekit.near.@org.jspecify.annotations.Nullable NearCache near) {
		var builder = RedisCacheBackend.builder(url());
		if (near != null) {
			builder.layer(near.layer());
		}
		RedisCacheBackend<String> backend = builder
			.serializer(CacheSerializers.string())
			.prefix(this.prefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(LoadingLayer.of(LoadingSettings.defaults().withTags(tags)))
			.build();
		backend.initialize();
		this.backends.add(backend);
		return backend;
	}

	@Test
	void anInvalidatedTagIsAMissAtOnceInTheSameJvmAndOtherEntriesStayHits() {
		RedisCacheBackend<String> cache = backend(true);
		for (int round = 0; round < 50; round++) {
			String tenant = "tenant:" + round;
			assertThat(cache.set("a" + round, "A", null, List.of(tenant, "all"))).isTrue();
			assertThat(cache.set("b" + round, "B", null, List.of("other:" + round))).isTrue();
			assertThat(cache.set("c" + round, "C")).isTrue();
			// seen once: the tags' versions are now known locally
			assertThat(cache.get("a" + round)).contains("A");
			assertThat(cache.invalidateTag(tenant)).isTrue();
			assertThat(cache.get("a" + round)).as("round %d: the tagged entry right after the call", round).isEmpty();
			assertThat(cache.get("b" + round)).as("another tag's entry").contains("B");
			assertThat(cache.get("c" + round)).as("an untagged entry").contains("C");
		}
	}

	@Test
	void anotherBackendSeesTheInvalidationWithinTheNearCacheBound() throws Exception {
		RedisCacheBackend<String> writer = backend(true);
		RedisCacheBackend<String> reader = backend(true);
		for (int round = 0; round < 20; round++) {
			String tag = "shared:" + round;
			writer.set("k" + round, "v", null, Set.of(tag));
			writer.set("u" + round, "u");
			// the reader has the tag's version locally: only Redis' invalidation can tell it
			assertThat(reader.get("k" + round)).contains("v");
			assertThat(reader.get("k" + round)).contains("v");
			long roundTrip = slowestPing();
			writer.invalidateTag(tag);
			Duration bound = NEAR_CACHE_BOUND.plusNanos(roundTrip);
			String key = "k" + round;
			long took = await(bound, () -> reader.get(key).isEmpty());
			assertThat(took).as("round %d: seen by the other backend within %s", round, bound).isNotNegative();
			assertThat(reader.get("u" + round)).contains("u");
		}
	}

	@Test
	void tagsBesideANearCacheInBroadcastModeAreInvalidatedWithinTheBound() throws Exception {
		RedisCacheBackend<String> writer = backend(true);
		// the near cache registers its tracking mode first; the tag versions join it
		RedisCacheBackend<String> reader = backend(true,
				io.cachekit.near.NearCache.defaults().withTracking(io.cachekit.near.TrackingMode.BROADCAST));
		assertThat(reader.getLayers()).hasAtLeastOneElementOfType(io.cachekit.near.NearCacheLayer.class);
		for (int round = 0; round < 10; round++) {
			String tag = "near:" + round;
			String key = "n" + round;
			writer.set(key, "v", null, List.of(tag));
			assertThat(reader.get(key)).contains("v");
			assertThat(reader.get(key)).contains("v");
			long roundTrip = slowestPing();
			writer.invalidateTag(tag);
			Duration bound = NEAR_CACHE_BOUND.plusNanos(roundTrip);
			assertThat(await(bound, () -> reader.get(key).isEmpty())).as("round %d within %s", round, bound)
				.isNotNegative();
		}
	}

	@Test
	void aTaggedReadWhoseTagsAreKnownSendsOneCommand() {
		RedisCacheBackend<String> cache = backend(true);
		cache.set("one", "1", null, List.of("x", "y", "z"));
		assertThat(cache.get("one")).contains("1");
		long before = calls("get") + calls("evalsha") + calls("eval") + calls("mget");
		for (int i = 0; i < 100; i++) {
			assertThat(cache.get("one")).contains("1");
		}
		long after = calls("get") + calls("evalsha") + calls("eval") + calls("mget");
		assertThat(after - before).as("commands for 100 reads of an entry with three tags").isEqualTo(100);
	}

	@Test
	void theInvalidationSurvivesARestartOfTheInvalidatingInstance() {
		RedisCacheBackend<String> first = backend(true);
		first.set("kept", "v", null, List.of("gone"));
		first.set("other", "w", null, List.of("stays"));
		assertThat(first.invalidateTag("gone")).isTrue();
		first.shutdown();
		RedisCacheBackend<String> restarted = backend(true);
		assertThat(restarted.get("kept")).as("after the invalidating instance was restarted").isEmpty();
		assertThat(restarted.get("other")).contains("w");
		assertThat(backend(true).get("kept")).as("on any other instance").isEmpty();
	}

	@Test
	void anEntryWrittenAfterTheInvalidationIsAHit() {
		RedisCacheBackend<String> cache = backend(true);
		cache.set("k", "old", null, List.of("t"));
		cache.invalidateTag("t");
		cache.set("k", "new", null, List.of("t"));
		assertThat(cache.get("k")).contains("new");
		cache.invalidateTag("t");
		assertThat(cache.get("k")).isEmpty();
	}

	@Test
	void getOrLoadRecordsTheVersionsReadBeforeTheLoader() {
		RedisCacheBackend<String> cache = backend(true);
		AtomicInteger loads = new AtomicInteger();
		// an invalidation while the loader runs: its value goes to the caller, but is not served after
		String first = cache.getOrLoad("p", () -> {
			loads.incrementAndGet();
			cache.invalidateTag("catalog");
			return "stale";
		}, null, List.of("catalog"));
		assertThat(first).isEqualTo("stale");
		assertThat(cache.getOrLoad("p", () -> "fresh-" + loads.incrementAndGet(), null, List.of("catalog")))
			.isEqualTo("fresh-2");
		assertThat(cache.getOrLoad("p", () -> "again-" + loads.incrementAndGet(), null, List.of("catalog")))
			.isEqualTo("fresh-2");
		cache.invalidateTag("catalog");
		assertThat(cache.async().getOrLoad("p", () -> java.util.concurrent.CompletableFuture.completedFuture("async"), null,
				List.of("catalog")).join()).isEqualTo("async");
		assertThat(cache.get("p")).contains("async");
	}

	@Test
	void theAsyncFaceTagsAndInvalidatesToo() {
		RedisCacheBackend<String> cache = backend(true);
		assertThat(cache.async().set("k", "v", Duration.ofMinutes(1), List.of("t")).join()).isTrue();
		assertThat(cache.async().get("k").join()).contains("v");
		assertThat(cache.async().invalidateTag("t").join()).isTrue();
		assertThat(cache.async().get("k").join()).isEmpty();
	}

	@Test
	void aBackendWithoutTagsRefusesTaggedWritesButInvalidates() {
		CacheBackend<String> plain = backend(false);
		assertThatThrownBy(() -> plain.set("k", "v", null, List.of("t"))).isInstanceOf(TagsNotSupportedException.class);
		assertThat(plain.set("k", "v", null, List.of())).isTrue();
		assertThat(plain.invalidateTag("t")).isTrue();
		assertThatThrownBy(() -> plain.invalidateTag("")).isInstanceOf(IllegalArgumentException.class);
		RedisCacheBackend<String> tagged = backend(true);
		assertThatThrownBy(() -> tagged.set("k", "v", null, List.of(""))).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void anInvalidationThroughAPlainBackendReachesTaggedCachesOfTheSameJvmAtOnce() {
		RedisCacheBackend<String> tagged = backend(true);
		tagged.set("k", "v", null, List.of("t"));
		assertThat(tagged.get("k")).contains("v");
		// a view of the same engine without the loading layer: the engine's invalidation tells every cache
		CacheBackend<String> view = tagged.withSerializer(CacheSerializers.string(), List.of());
		assertThat(view.invalidateTag("t")).isTrue();
		assertThat(tagged.get("k")).isEmpty();
	}

	@Test
	void anInvalidationIsOneCommandOnOneKeyWhateverTheNumberOfEntries() {
		RedisCacheBackend<String> cache = backend(true);
		for (int i = 0; i < 1000; i++) {
			cache.set("e" + i, "v" + i, null, List.of("big"));
		}
		assertThat(cache.get("e1")).contains("v1");
		for (RedisProcess master : masters()) {
			Resp.call(master.host(), master.port(), "CONFIG", "RESETSTAT");
		}
		assertThat(cache.invalidateTag("big")).isTrue();
		long scripts = 0;
		int mastersWritten = 0;
		for (RedisProcess master : masters()) {
			// commandstats counts a script's own calls too: the one sent is the EVALSHA
			long here = callsOn(master, "evalsha") + callsOn(master, "eval");
			scripts += here;
			mastersWritten += (here > 0) ? 1 : 0;
			assertThat(callsOn(master, "scan") + callsOn(master, "unlink") + callsOn(master, "del"))
				.as("no SCAN, no deletes on %s", master).isZero();
		}
		assertThat(scripts).as("commands sent by the invalidation").isEqualTo(1);
		assertThat(calls("incrby")).as("keys incremented").isEqualTo(1);
		assertThat(mastersWritten).as("nodes written").isEqualTo(1);
		String tagKey = this.prefix + TagVersions.key("big");
		long holding = masters().stream().filter((master) -> holds(master, tagKey)).count();
		assertThat(holding).as("nodes holding the tag's key").isEqualTo(1);
		assertThat(cache.get("e1")).isEmpty();
		assertThat(cache.get("e999")).isEmpty();
	}

	private static boolean holds(RedisProcess master, String key) {
		try {
			return Long.valueOf(1).equals(Resp.call(master.host(), master.port(), "EXISTS", key));
		}
		catch (Resp.RespErrorException moved) {
			return false;
		}
	}

	/** The calls of {@code command} on every master so far (INFO commandstats). */
	long calls(String command) {
		long total = 0;
		for (RedisProcess master : masters()) {
			total += callsOn(master, command);
		}
		return total;
	}

	static long callsOn(RedisProcess master, String command) {
		String info = String.valueOf(Resp.call(master.host(), master.port(), "INFO", "commandstats"));
		String marker = "cmdstat_" + command + ":calls=";
		int at = info.indexOf(marker);
		if (at < 0) {
			return 0;
		}
		int end = info.indexOf(',', at);
		return Long.parseLong(info.substring(at + marker.length(), end));
	}

	/** The slowest of a few bare PINGs now: the machine's delay, added to a bound as its margin. */
	long slowestPing() {
		long slowest = 0;
		RedisProcess node = masters().get(0);
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			Resp.call(node.host(), node.port(), "PING");
			slowest = Math.max(slowest, System.nanoTime() - start);
		}
		return slowest;
	}

	static long await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return System.nanoTime() - start;
			}
			Thread.sleep(1);
		}
		return condition.getAsBoolean() ? System.nanoTime() - start : -1;
	}

}
