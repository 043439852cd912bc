package io.cachekit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.fixtures.Product;

/**
 * The whole of contract.md's operation table, against any {@link CacheBackend}. Concrete
 * subclasses supply the backend and the store under it (a standalone Redis, a cluster, the
 * in-memory backend of {@code cache-test}); every test runs through both faces (sync, and async
 * joined by {@link AsyncFaceAdapter}).
 *
 * <p>Where a test must look past the backend (the stored key, its TTL in milliseconds, bytes
 * planted outside the prefix) it goes through the {@code raw*} hooks, which a Redis subclass
 * answers with direct Redis commands (EXISTS, PTTL, GET, SET, DEL) and another implementation
 * against its own store. Published in cache-core's test-jar.
 */
@ParameterizedClass(name = "{0} face")
@ValueSource(strings = { "sync", "async" })
public abstract class CacheBackendContractTest {

	/** Which face of the backend the suite drives. */
	@Parameter
	String face;

	/** The backend under test (its sync face), prefix {@link #prefix}. */
	protected CacheBackend<Object> backend;

	/** The face the tests drive: {@link #backend} itself, or its async face joined. */
	protected CacheBackend<Object> cache;

	/** This test's key prefix, unique per test. */
	protected String prefix;

	// ---- what a subclass supplies ----------------------------------------------------------

	/**
	 * A new backend over the shared test store with {@code keyPrefix}, ready for calls: fail-fast
	 * (so no error can hide behind a fail-open miss), default TTL 1 hour, JSON values trusting
	 * {@code io.cachekit.fixtures}.
	 */
	protected abstract CacheBackend<Object> newBackend(String keyPrefix);

	/** Releases a backend made by {@link #newBackend(String)}. */
	protected abstract void closeBackend(CacheBackend<Object> backend);

	/** A view of {@code backend} with another serializer (same store, prefix and settings). */
	protected abstract <V> CacheBackend<V> withSerializer(CacheBackend<Object> backend, CacheSerializer<V> serializer);

	/** PTTL of the stored key {@code rawKey} (prefix included): milliseconds, -1 without expiry, -2 when absent. */
	protected abstract long rawTtl(String rawKey);

	/** Whether the store holds {@code rawKey} (prefix included). */
	protected abstract boolean rawExists(String rawKey);

	/** The bytes stored under the string key {@code rawKey}, or {@code null} when absent. */
	protected abstract byte @Nullable [] rawGet(String rawKey);

	/** Stores {@code value} under {@code rawKey}, bypassing the backend (no prefix added, no expiry). */
	protected abstract void plantRaw(String rawKey, byte[] value);

	/** Removes {@code rawKeys} from the store, bypassing the backend. */
	protected abstract void deleteRaw(String... rawKeys);

	// -------------------------------------------------------------------------------------

	@BeforeEach
	void open() {
		this.prefix = "ct:" + UUID.randomUUID().toString().substring(0, 8) + ":";
		this.backend = newBackend(this.prefix);
		this.cache = "async".equals(this.face) ? new AsyncFaceAdapter<>(this.backend.async()) : this.backend;
	}

	@AfterEach
	void close() {
		try {
			this.backend.clear();
		}
		finally {
			closeBackend(this.backend);
		}
	}

	private static Product lamp() {
		return new Product("p1", "Lamp", new BigDecimal("19.90"), List.of("home", "light"));
	}

	// ---- get / set ----------------------------------------------------------------------

	@Test
	void getOfMissingKeyIsEmpty() {
		assertThat(this.cache.get("nope")).isEmpty();
	}

	@Test
	void setThenGetReturnsEqualValuesOfEveryKind() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("string", "hello");
		values.put("long", 42L);
		values.put("int", 7);
		values.put("double", 2.5);
		values.put("bool", true);
		values.put("list", new ArrayList<>(List.of("a", "b")));
		values.put("map", new LinkedHashMap<>(Map.of("k", "v")));
		values.put("record", lamp());
		values.put("products", new ArrayList<>(List.of(lamp())));
		values.forEach((key, value) -> assertThat(this.cache.set(key, value)).isTrue());
		values.forEach((key, value) -> assertThat(this.cache.get(key)).as(key).contains(value));
	}

	@Test
	void setStoresUnderPrefixedKey() {
		this.cache.set("k", "v");
		assertThat(rawExists(this.prefix + "k")).isTrue();
		assertThat(rawExists("k")).isFalse();
	}

	@Test
	void setOverwritesAndResetsTtl() {
		this.cache.set("k", "v1", Duration.ofSeconds(100));
		assertThat(this.cache.set("k", "v2", Duration.ZERO)).isTrue();
		assertThat(this.cache.get("k")).contains("v2");
		assertThat(this.cache.getTtl("k")).isEmpty();
	}

	@Test
	void setWithoutTtlUsesDefaultTtl() {
		this.cache.set("k", "v");
		assertThat(rawTtl(this.prefix + "k")).isBetween(Duration.ofMinutes(59).toMillis(),
				Duration.ofHours(1).toMillis());
	}

	@Test
	void setWithNullTtlUsesDefaultTtl() {
		this.cache.set("k", "v", null);
		assertThat(this.cache.getTtl("k")).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isBetween(Duration.ofMinutes(59), Duration.ofHours(1)));
	}

	@Test
	void setWithTtlSendsMilliseconds() {
		this.cache.set("k", "v", Duration.ofMillis(12_345));
		assertThat(rawTtl(this.prefix + "k")).isBetween(12_000L, 12_345L);
	}

	@Test
	void setWithZeroTtlNeverExpires() {
		this.cache.set("k", "v", Duration.ZERO);
		assertThat(rawTtl(this.prefix + "k")).isEqualTo(-1);
		assertThat(this.cache.getTtl("k")).isEmpty();
		assertThat(this.cache.exists("k")).isTrue();
	}

	@Test
	void subMillisecondTtlRoundsUpToOneMillisecond() throws InterruptedException {
		// PX 0 would be an error reply; one nanosecond must become PX 1 and expire at once
		assertThat(this.cache.set("k", "v", Duration.ofNanos(1))).isTrue();
		Thread.sleep(20);
		assertThat(this.cache.exists("k")).isFalse();
		assertThat(this.cache.add("k2", "v", Duration.ofNanos(999_999))).isTrue();
		Thread.sleep(20);
		assertThat(this.cache.get("k2")).isEmpty();
	}

	@Test
	void entriesExpire() throws InterruptedException {
		// a busy machine can pause this thread for longer than a short TTL between the write and the read:
		// the TTL doubles until a read came back before the TTL ended (so the entry must be there), and the
		// entry must then be gone soon after its TTL (polled, not slept: the store's clock starts when it
		// receives the write, a little after ours)
		long ttlMillis = 50;
		long start;
		while (true) {
			start = System.nanoTime();
			this.cache.set("k", "v", Duration.ofMillis(ttlMillis));
			Optional<Object> read = this.cache.get("k");
			if (System.nanoTime() - start < Duration.ofMillis(ttlMillis).toNanos()) {
				assertThat(read).as("read within its %d ms TTL", ttlMillis).contains("v");
				break;
			}
			assertThat(ttlMillis).as("a write and a read within a TTL of a few seconds").isLessThan(5_000);
			ttlMillis *= 2;
		}
		long deadline = start + Duration.ofMillis(ttlMillis + 2_000).toNanos();
		while (this.cache.get("k").isPresent() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.cache.get("k")).as("gone within 2 s after its %d ms TTL", ttlMillis).isEmpty();
		assertThat(System.nanoTime() - start).as("not gone before its TTL")
			.isGreaterThanOrEqualTo(Duration.ofMillis(ttlMillis).toNanos());
	}

	@Test
	void negativeTtlIsRejectedNamingTheArgument() {
		assertThatThrownBy(() -> this.cache.set("k", "v", Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("ttl");
		assertThatThrownBy(() -> this.cache.add("k", "v", Duration.ofMillis(-1))).hasMessageContaining("ttl");
		assertThatThrownBy(() -> this.cache.expire("k", Duration.ofMillis(-1))).hasMessageContaining("ttl");
		assertThatThrownBy(() -> this.cache.setMany(Map.of("k", "v"), Duration.ofMillis(-1))).hasMessageContaining("ttl");
		assertThatThrownBy(() -> this.cache.incr("k", 1, 0, Duration.ofMillis(-1))).hasMessageContaining("ttl");
		assertThat(this.cache.exists("k")).isFalse();
	}

	@Test
	void nullOrEmptyKeysAreRejectedNamingTheArgument() {
		assertThatThrownBy(() -> this.cache.get(null)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("key must not be null");
		assertThatThrownBy(() -> this.cache.get("")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("key must not be empty");
		assertThatThrownBy(() -> this.cache.set("", "v")).hasMessage("key must not be empty");
		assertThatThrownBy(() -> this.cache.delete(null)).hasMessage("key must not be null");
		assertThatThrownBy(() -> this.cache.incr("")).hasMessage("key must not be empty");
		assertThatThrownBy(() -> this.cache.addToSet(null, "m")).hasMessage("key must not be null");
		assertThatThrownBy(() -> this.cache.getMany(Arrays.asList("a", null))).hasMessage("keys[1] must not be null");
		assertThatThrownBy(() -> this.cache.deleteMany(null)).hasMessage("keys must not be null");
		assertThatThrownBy(() -> this.cache.invalidatePattern("")).hasMessage("pattern must not be empty");
	}

	@Test
	void nullValuesAreRejectedNamingTheArgument() {
		assertThatThrownBy(() -> this.cache.set("k", null)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("value must not be null");
		assertThatThrownBy(() -> this.cache.add("k", null)).hasMessage("value must not be null");
		Map<String, Object> withNull = new LinkedHashMap<>();
		withNull.put("a", null);
		assertThatThrownBy(() -> this.cache.setMany(withNull)).hasMessageContaining("value for key 'a' must not be null");
		assertThatThrownBy(() -> this.cache.addToSet("s", null)).hasMessage("member must not be null");
		assertThat(this.cache.exists("k")).isFalse();
	}

	@Test
	void unserializableValueThrowsSerializationException() {
		assertThatThrownBy(() -> this.cache.set("k", new io.cachekit.fixtures.Broken()))
			.isInstanceOf(io.cachekit.core.CacheSerializationException.class)
			.hasMessageContaining("io.cachekit.fixtures.Broken")
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.SERIALIZATION));
		assertThatThrownBy(() -> this.cache.set("k", new io.cachekit.untrusted.Gadget()))
			.isInstanceOf(io.cachekit.core.CacheSerializationException.class)
			.hasMessageContaining("trusted packages");
		assertThat(this.cache.exists("k")).isFalse();
	}

	@Test
	void unreadableStoredBytesAreASerializationErrorInFailFast() {
		// contract.md: a stored value that cannot be deserialized is a backend failure (a miss in
		// fail-open); this suite runs fail-fast, where it throws and the entry stays
		plantRaw(this.prefix + "bad", bytes("{not json"));
		this.cache.set("good", "g");
		assertThatThrownBy(() -> this.cache.get("bad")).isInstanceOf(io.cachekit.core.CacheSerializationException.class)
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.SERIALIZATION));
		assertThatThrownBy(() -> this.cache.getMany(List.of("good", "bad")))
			.isInstanceOf(io.cachekit.core.CacheSerializationException.class);
		assertThat(rawExists(this.prefix + "bad")).isTrue();
	}

	// ---- getOrLoad ----------------------------------------------------------------------

	@Test
	void getOrLoadOfAMissLoadsStoresWithTheTtlAndAnswersTheValue() {
		java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
		assertThat(this.cache.getOrLoad("lazy", () -> {
			loads.incrementAndGet();
			return lamp();
		}, Duration.ofSeconds(60))).isEqualTo(lamp());
		assertThat(this.cache.get("lazy")).contains(lamp());
		assertThat(rawTtl(this.prefix + "lazy")).isBetween(50_000L, 60_000L);
		assertThat(this.cache.getOrLoad("lazy", () -> {
			loads.incrementAndGet();
			return "other";
		})).isEqualTo(lamp());
		assertThat(loads).hasValue(1);
	}

	@Test
	void getOrLoadPassesTheLoadersExceptionOnAndStoresNothing() {
		assertThatThrownBy(() -> this.cache.getOrLoad("broken", () -> {
			throw new IllegalStateException("loader failed");
		})).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
		assertThatThrownBy(() -> this.cache.getOrLoad("broken", () -> null))
			.isInstanceOf(io.cachekit.core.CacheLoadException.class);
		assertThat(rawExists(this.prefix + "broken")).isFalse();
	}

	// ---- getAllOrLoad -------------------------------------------------------------------

	@Test
	void getAllOrLoadLoadsExactlyTheMissingKeysOnceStoresWhatItLoadedAndAnswersInRequestOrder() {
		this.cache.set("b1", "one");
		List<Set<String>> asked = new ArrayList<>();
		Map<String, Object> answer = this.cache.getAllOrLoad(List.of("b2", "b1", "b3", "b2"), (missing) -> {
			asked.add(Set.copyOf(missing));
			return Map.of("b2", "two", "unasked", "ignored");
		}, Duration.ofSeconds(60));
		assertThat(asked).containsExactly(Set.of("b2", "b3"));
		assertThat(answer).containsExactly(Map.entry("b2", "two"), Map.entry("b1", "one"));
		assertThat(this.cache.get("b2")).contains("two");
		assertThat(rawTtl(this.prefix + "b2")).isBetween(50_000L, 60_000L);
		assertThat(rawExists(this.prefix + "b3")).as("left out by the loader").isFalse();
		assertThat(rawExists(this.prefix + "unasked")).as("not asked for").isFalse();
		assertThat(this.cache.getAllOrLoad(List.of("b1", "b2"), (missing) -> {
			throw new AssertionError("nothing is missing");
		})).containsExactly(Map.entry("b1", "one"), Map.entry("b2", "two"));
	}

	@Test
	void getAllOrLoadPassesTheLoadersExceptionOnAndStoresNothing() {
		assertThatThrownBy(() -> this.cache.getAllOrLoad(List.of("x1", "x2"), (missing) -> {
			throw new IllegalStateException("loader failed");
		})).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
		assertThatThrownBy(() -> this.cache.getAllOrLoad(List.of("x1"), (missing) -> null))
			.isInstanceOf(io.cachekit.core.CacheLoadException.class);
		assertThat(rawExists(this.prefix + "x1")).isFalse();
		assertThat(this.cache.getAllOrLoad(List.of(), (missing) -> {
			throw new AssertionError("no keys, no load");
		})).isEmpty();
	}

	// ---- add ----------------------------------------------------------------------------

	@Test
	void addStoresOnlyWhenAbsent() {
		assertThat(this.cache.add("k", "first")).isTrue();
		assertThat(this.cache.add("k", "second")).isFalse();
		assertThat(this.cache.get("k")).contains("first");
	}

	@Test
	void addAppliesTtl() {
		this.cache.add("k", "v", Duration.ofSeconds(30));
		assertThat(rawTtl(this.prefix + "k")).isBetween(29_000L, 30_000L);
		this.cache.add("z", "v", Duration.ZERO);
		assertThat(rawTtl(this.prefix + "z")).isEqualTo(-1);
	}

	// ---- delete / exists ----------------------------------------------------------------

	@Test
	void deleteAnswersWhetherAKeyWasRemoved() {
		this.cache.set("k", "v");
		assertThat(this.cache.delete("k")).isTrue();
		assertThat(this.cache.delete("k")).isFalse();
		assertThat(this.cache.get("k")).isEmpty();
	}

	@Test
	void existsAnswersPresence() {
		assertThat(this.cache.exists("k")).isFalse();
		this.cache.set("k", "v");
		assertThat(this.cache.exists("k")).isTrue();
	}

	// ---- expiry -------------------------------------------------------------------------

	@Test
	void expireSetsTtlOnExistingKeyOnly() {
		this.cache.set("k", "v", Duration.ZERO);
		assertThat(this.cache.expire("k", Duration.ofSeconds(50))).isTrue();
		assertThat(this.cache.getTtl("k")).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isBetween(Duration.ofSeconds(49), Duration.ofSeconds(50)));
		assertThat(this.cache.expire("missing", Duration.ofSeconds(50))).isFalse();
	}

	@Test
	void expireWithZeroRemovesExpiry() {
		this.cache.set("k", "v", Duration.ofSeconds(50));
		assertThat(this.cache.expire("k", Duration.ZERO)).isTrue();
		assertThat(this.cache.getTtl("k")).isEmpty();
		assertThat(this.cache.exists("k")).isTrue();
		assertThat(this.cache.expire("missing", Duration.ZERO)).isFalse();
	}

	@Test
	void expireAtSetsAbsoluteExpiry() {
		this.cache.set("k", "v", Duration.ZERO);
		assertThat(this.cache.expireAt("k", Instant.now().plusSeconds(40))).isTrue();
		assertThat(this.cache.getTtl("k")).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isBetween(Duration.ofSeconds(38), Duration.ofSeconds(40)));
		assertThat(this.cache.expireAt("missing", Instant.now().plusSeconds(40))).isFalse();
		assertThat(this.cache.expireAt("k", Instant.now().minusSeconds(1))).isTrue();
		assertThat(this.cache.exists("k")).isFalse();
	}

	@Test
	void persistRemovesExpiry() {
		this.cache.set("k", "v", Duration.ofSeconds(50));
		assertThat(this.cache.persist("k")).isTrue();
		assertThat(this.cache.getTtl("k")).isEmpty();
		assertThat(this.cache.persist("k")).isFalse();
		assertThat(this.cache.persist("missing")).isFalse();
	}

	@Test
	void getTtlIsEmptyForMissingKey() {
		assertThat(this.cache.getTtl("missing")).isEmpty();
	}

	// ---- pattern invalidation and clear -------------------------------------------------

	@Test
	void invalidatePatternRemovesMatchingKeysOnly() {
		for (int i = 0; i < 30; i++) {
			this.cache.set("user:" + i, i);
		}
		this.cache.set("order:1", "o");
		assertThat(this.cache.invalidatePattern("user:*")).isEqualTo(30);
		assertThat(this.cache.exists("user:3")).isFalse();
		assertThat(this.cache.exists("order:1")).isTrue();
		assertThat(this.cache.invalidatePattern("user:*")).isZero();
	}

	@Test
	void invalidatePatternAndClearStayInsideThePrefix() {
		CacheBackend<Object> other = newBackend("other-" + this.prefix);
		try {
			other.set("user:1", "theirs");
			plantRaw("user:1", bytes("unprefixed"));
			plantRaw(this.prefix.substring(0, this.prefix.length() - 1) + "user:1", bytes("near-miss"));
			this.cache.set("user:1", "ours");

			assertThat(this.cache.invalidatePattern("*")).isEqualTo(1);
			this.cache.set("user:1", "ours");
			assertThat(this.cache.clear()).isTrue();

			assertThat(this.cache.exists("user:1")).isFalse();
			assertThat(other.get("user:1")).contains("theirs");
			assertThat(rawGet("user:1")).isEqualTo(bytes("unprefixed"));
			assertThat(rawExists(this.prefix.substring(0, this.prefix.length() - 1) + "user:1")).isTrue();
		}
		finally {
			other.clear();
			closeBackend(other);
			deleteRaw("user:1", this.prefix.substring(0, this.prefix.length() - 1) + "user:1");
		}
	}

	@Test
	void globCharactersInThePrefixAreMatchedLiterally() {
		CacheBackend<Object> globby = newBackend("g*[x]?" + this.prefix);
		CacheBackend<Object> lookalike = newBackend("gAx!" + this.prefix);
		try {
			globby.set("k", "1");
			lookalike.set("k", "2");
			assertThat(globby.clear()).isTrue();
			assertThat(globby.exists("k")).isFalse();
			assertThat(lookalike.get("k")).contains("2");
		}
		finally {
			lookalike.clear();
			closeBackend(globby);
			closeBackend(lookalike);
		}
	}

	@Test
	void clearRemovesManyKeysAcrossScanPages() {
		Map<String, Object> entries = new LinkedHashMap<>();
		for (int i = 0; i < 2500; i++) {
			entries.put("k" + i, i);
		}
		this.cache.setMany(entries);
		assertThat(this.cache.clear()).isTrue();
		assertThat(this.cache.getMany(entries.keySet())).isEmpty();
	}

	// ---- batches ------------------------------------------------------------------------

	@Test
	void getManyAnswersPresentKeysInRequestOrder() {
		this.cache.set("c", 3);
		this.cache.set("a", 1);
		this.cache.set("b", 2);
		Map<String, Object> found = this.cache.getMany(List.of("b", "missing", "c", "a"));
		assertThat(found).containsExactly(Map.entry("b", 2), Map.entry("c", 3), Map.entry("a", 1));
		assertThat(this.cache.getMany(List.of())).isEmpty();
		assertThat(this.cache.getMany(List.of("x", "y"))).isEmpty();
	}

	@Test
	void getManyOfManyKeysSpanningSlots() {
		Map<String, Object> entries = new LinkedHashMap<>();
		for (int i = 0; i < 200; i++) {
			entries.put("key-" + i, "v" + i);
		}
		assertThat(this.cache.setMany(entries)).isTrue();
		List<String> request = new ArrayList<>(entries.keySet());
		java.util.Collections.reverse(request);
		assertThat(new ArrayList<>(this.cache.getMany(request).keySet())).isEqualTo(request);
	}

	@Test
	void setManyStoresAllWithTtl() {
		Map<String, Object> entries = Map.of("a", 1, "b", lamp(), "c", "three");
		assertThat(this.cache.setMany(entries, Duration.ofSeconds(30))).isTrue();
		assertThat(this.cache.getMany(entries.keySet())).isEqualTo(entries);
		for (String key : entries.keySet()) {
			assertThat(rawTtl(this.prefix + key)).isBetween(29_000L, 30_000L);
		}
	}

	@Test
	void setManyWithZeroOrDefaultTtl() {
		this.cache.setMany(Map.of("a", 1), Duration.ZERO);
		assertThat(rawTtl(this.prefix + "a")).isEqualTo(-1);
		this.cache.setMany(Map.of("b", 1));
		assertThat(rawTtl(this.prefix + "b")).isGreaterThan(Duration.ofMinutes(59).toMillis());
		assertThat(this.cache.setMany(Map.of())).isTrue();
	}

	@Test
	void deleteManyCountsRemovedKeys() {
		this.cache.setMany(Map.of("a", 1, "b", 2, "c", 3));
		assertThat(this.cache.deleteMany(List.of("a", "b", "missing"))).isEqualTo(2);
		assertThat(this.cache.exists("c")).isTrue();
		assertThat(this.cache.deleteMany(List.of())).isZero();
	}

	// ---- counters -----------------------------------------------------------------------

	@Test
	void firstIncrAnswersInitialPlusAmount() {
		assertThat(this.cache.incr("c", 5, 100, Duration.ofMinutes(1))).isEqualTo(105);
		assertThat(this.cache.incr("c", 5, 100, Duration.ofMinutes(1))).isEqualTo(110);
		assertThat(this.cache.incr("d")).isEqualTo(1);
		assertThat(this.cache.incr("d")).isEqualTo(2);
		assertThat(this.cache.incr("d", 10)).isEqualTo(12);
	}

	@Test
	void decrCountsDown() {
		assertThat(this.cache.decr("c", 1, 10, Duration.ofMinutes(1))).isEqualTo(9);
		assertThat(this.cache.decr("c")).isEqualTo(8);
		assertThat(this.cache.decr("c", 3)).isEqualTo(5);
		assertThat(this.cache.decr("neg")).isEqualTo(-1);
	}

	@Test
	void counterTtlIsSetOnlyAtCreation() throws InterruptedException {
		this.cache.incr("window", 1, 0, Duration.ofSeconds(10));
		long first = rawTtl(this.prefix + "window");
		Thread.sleep(50);
		this.cache.incr("window", 1, 0, Duration.ofSeconds(10));
		long second = rawTtl(this.prefix + "window");
		assertThat(first).isBetween(9_000L, 10_000L);
		assertThat(second).isLessThan(first);
		this.cache.incr("forever", 1, 0, Duration.ZERO);
		assertThat(rawTtl(this.prefix + "forever")).isEqualTo(-1);
		this.cache.incr("default");
		assertThat(rawTtl(this.prefix + "default")).isGreaterThan(Duration.ofMinutes(59).toMillis());
	}

	@Test
	void counterIsReadableWithGet() {
		this.cache.incr("c", 41, 1, null);
		assertThat(this.cache.get("c")).contains(42);
	}

	@Test
	void incrOnNonIntegerValueIsARedisError() {
		this.cache.set("text", "hello");
		assertThatThrownBy(() -> this.cache.incr("text")).isInstanceOf(CacheException.class)
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.REDIS_ERROR));
	}

	// ---- sets ---------------------------------------------------------------------------

	@Test
	void setMembersAddAndRemove() {
		assertThat(this.cache.addToSet("tags", "red")).isTrue();
		assertThat(this.cache.addToSet("tags", "red")).isFalse();
		assertThat(this.cache.addManyToSet("tags", List.of("red", "green", "blue"))).isEqualTo(2);
		assertThat(this.cache.getSetMembers("tags")).containsExactlyInAnyOrder("red", "green", "blue");
		assertThat(this.cache.removeFromSet("tags", "green")).isTrue();
		assertThat(this.cache.removeFromSet("tags", "green")).isFalse();
		assertThat(this.cache.getSetMembers("tags")).containsExactlyInAnyOrder("red", "blue");
		assertThat(this.cache.addManyToSet("tags", List.of())).isZero();
	}

	@Test
	void setMembersKeepUnicode() {
		this.cache.addToSet("s", "zürich ☕");
		assertThat(this.cache.getSetMembers("s")).containsExactly("zürich ☕");
	}

	@Test
	void getSetMembersOfMissingKeyIsEmpty() {
		assertThat(this.cache.getSetMembers("missing")).isEmpty();
	}

	@Test
	void setOperationOnAStringKeyIsARedisError() {
		this.cache.set("k", "v");
		assertThatThrownBy(() -> this.cache.addToSet("k", "m")).isInstanceOf(CacheException.class)
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.REDIS_ERROR));
	}

	// ---- ping ---------------------------------------------------------------------------

	@Test
	void pingAnswersTrue() {
		assertThat(this.cache.ping()).isTrue();
	}

	// ---- typed use ----------------------------------------------------------------------

	@Test
	void typedViewNeedsNoCastsAndStoresPlainJson() {
		CacheBackend<Product> products = withSerializer(this.backend, CacheSerializers.json(Product.class));
		products.set("p1", lamp());
		Optional<Product> read = products.get("p1");
		assertThat(read).contains(lamp());
		String stored = new String(rawGet(this.prefix + "p1"), StandardCharsets.UTF_8);
		assertThat(stored).isEqualTo("{\"id\":\"p1\",\"name\":\"Lamp\",\"price\":19.90,\"tags\":[\"home\",\"light\"]}");
		Map<String, Product> many = products.getMany(List.of("p1"));
		assertThat(many.get("p1").name()).isEqualTo("Lamp");
	}

	@Test
	void stringViewReadsCountersAndSets() {
		CacheBackend<String> strings = withSerializer(this.backend, CacheSerializers.string());
		strings.set("s", "plain");
		assertThat(new String(rawGet(this.prefix + "s"), StandardCharsets.UTF_8)).isEqualTo("plain");
		strings.incr("n", 2, 40, null);
		assertThat(strings.get("n")).contains("42");
		assertThat(Set.copyOf(strings.getMany(List.of("s", "n")).values())).containsExactlyInAnyOrder("plain", "42");
	}

	static byte[] bytes(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

}
