package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.cachekit.contract.AsyncFaceAdapter;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.test.FakeRedis;
import io.cachekit.test.FakeRedis.Shape;

/**
 * Replies Redis would never send (an integer for GET, nil for a script, an error, a status where a
 * number is expected, an array where a value is expected), from {@link FakeRedis}: they are backend
 * failures. In fail-open no cache-data call throws (incr throws {@link CacheException} only) and
 * the answers are neutral; in fail-fast a {@link CacheException} with a backend error code; and a
 * circuit breaker whose half-open probe gets such a reply is not left probing for good.
 */
class WrongShapeReplyTest {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private FakeRedis fake;

	private RedisCacheBackend<String> backend;

	@BeforeEach
	void start() {
		this.fake = FakeRedis.start();
	}

	@AfterEach
	void stop() {
		if (this.backend != null) {
			this.backend.shutdown();
		}
		this.fake.close();
	}

	private RedisCacheBackend<String> backend(FailureMode mode, int breakerThreshold, Duration breakerOpen) {
		this.backend = RedisCacheBackend.builder(this.fake.url())
			.serializer(CacheSerializers.string())
			.prefix("ws:")
			.failureMode(mode)
			.commandTimeout(TIMEOUT)
			.circuitBreaker(breakerThreshold, breakerOpen)
			.build();
		this.backend.initialize();
		return this.backend;
	}

	/** Every cache-data operation but incr, with the neutral answer fail-open gives for a backend failure. */
	// invalidatePattern and clear: failed before the fix in AsyncRedisCacheBackend.scanAndUnlink. SCAN answered with
	// a value ("hello") or a status read as a cursor that is never "0": SCAN again, for good (the call never ended);
	// answered nil, the next SCAN had a null cursor, which Lettuce could not encode: it closed the connection.
	private static Map<String, Callable<Object>> operations(CacheBackend<String> cache) {
		Map<String, Callable<Object>> ops = new LinkedHashMap<>();
		ops.put("get", () -> cache.get("a"));
		ops.put("set", () -> cache.set("a", "v"));
		ops.put("add", () -> cache.add("a", "v"));
		ops.put("delete", () -> cache.delete("a"));
		ops.put("exists", () -> cache.exists("a"));
		ops.put("expire", () -> cache.expire("a", Duration.ofSeconds(5)));
		ops.put("expireAt", () -> cache.expireAt("a", Instant.now().plusSeconds(5)));
		ops.put("persist", () -> cache.persist("a"));
		ops.put("getTtl", () -> cache.getTtl("a"));
		ops.put("getMany", () -> cache.getMany(List.of("a", "b")));
		ops.put("setMany", () -> cache.setMany(Map.of("a", "1", "b", "2")));
		ops.put("deleteMany", () -> cache.deleteMany(List.of("a", "b")));
		ops.put("addToSet", () -> cache.addToSet("s", "m"));
		ops.put("addManyToSet", () -> cache.addManyToSet("s", List.of("m", "n")));
		ops.put("getSetMembers", () -> cache.getSetMembers("s"));
		ops.put("removeFromSet", () -> cache.removeFromSet("s", "m"));
		ops.put("invalidatePattern", () -> cache.invalidatePattern("*"));
		ops.put("clear", cache::clear);
		return ops;
	}

	private static final Map<String, Object> NEUTRAL = Map.ofEntries(Map.entry("get", Optional.empty()),
			Map.entry("set", false), Map.entry("add", false), Map.entry("delete", false), Map.entry("exists", false),
			Map.entry("expire", false), Map.entry("expireAt", false), Map.entry("persist", false),
			Map.entry("getTtl", Optional.empty()), Map.entry("getMany", Map.of()), Map.entry("setMany", false),
			Map.entry("deleteMany", 0L), Map.entry("addToSet", false), Map.entry("addManyToSet", 0L),
			Map.entry("getSetMembers", Set.of()), Map.entry("removeFromSet", false), Map.entry("invalidatePattern", 0L),
			Map.entry("clear", false));

	/**
	 * The operations for which a reply of this shape is a well-formed answer (an integer for UNLINK,
	 * a value for GET, an array for MGET): what they answer then is not a failure, and not checked.
	 */
	private static Set<String> wellFormedFor(Shape shape) {
		return switch (shape) {
			case INTEGER -> Set.of("delete", "exists", "expire", "expireAt", "persist", "getTtl", "deleteMany", "addToSet",
					"addManyToSet", "removeFromSet");
			case BULK, STATUS -> Set.of("get");
			// "get": KNOWN DEFECT, see aGetAnsweredWithAnArrayIsAMiss (Lettuce's ValueOutput keeps the array's last element)
			case ARRAY -> Set.of("getMany", "getSetMembers", "get");
			case NULL_BULK, ERROR -> Set.of();
		};
	}

	@ParameterizedTest
	@EnumSource(Shape.class)
	void failOpenAnswersNeutrallyAndNeverThrowsOnAReplyOfTheWrongShape(Shape shape) throws Exception {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_OPEN, 3, Duration.ofSeconds(1));
		this.fake.answerAll(shape);
		for (CacheBackend<String> face : List.of(cache, new AsyncFaceAdapter<>(cache.async()))) {
			String faceName = (face == cache) ? "blocking" : "async";
			for (Map.Entry<String, Callable<Object>> op : operations(face).entrySet()) {
				String what = faceName + " " + op.getKey() + " answered " + shape;
				Object answer;
				try {
					answer = op.getValue().call();
				}
				catch (RuntimeException ex) {
					throw new AssertionError(what + ": threw " + ex, ex);
				}
				if (!wellFormedFor(shape).contains(op.getKey())) {
					assertThat(answer).as(what).isEqualTo(NEUTRAL.get(op.getKey()));
				}
			}
			// counters have no neutral answer: a CacheException with a backend code, nothing else
			if (shape != Shape.INTEGER) {
				Throwable thrown = catchThrowable(() -> face.incr("c"));
				assertThat(thrown).as(faceName + " incr answered " + shape).isInstanceOf(CacheException.class);
				assertThat(((CacheException) thrown).getErrorCode().isBackendFailure()).as(faceName + " incr's code").isTrue();
			}
			assertThat(face.ping()).as("ping: PING itself is answered correctly").isTrue();
		}
		// Nothing of this opened the breaker: Redis did answer.
		assertThat(cache.diagnostics().isCircuitOpen()).isFalse();
		this.fake.correct();
		this.fake.put("ws:a", "real");
		assertThat(cache.get("a")).contains("real");
	}

	@ParameterizedTest
	@EnumSource(Shape.class)
	void failFastRaisesABackendCacheExceptionOnAReplyOfTheWrongShape(Shape shape) {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_FAST, 3, Duration.ofSeconds(1));
		this.fake.answerAll(shape);
		for (CacheBackend<String> face : List.of(cache, new AsyncFaceAdapter<>(cache.async()))) {
			Map<String, Callable<Object>> ops = operations(face);
			ops.put("incr", () -> face.incr("c"));
			for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
				String what = op.getKey() + " answered " + shape;
				if (wellFormedFor(shape).contains(op.getKey()) || (shape == Shape.INTEGER && op.getKey().equals("incr"))) {
					continue;
				}
				if (shape == Shape.NULL_BULK && (op.getKey().equals("get") || op.getKey().equals("set")
						|| op.getKey().equals("add"))) {
					continue; // nil is GET's miss and SET's "not set": well formed
				}
				Throwable thrown = catchThrowable(op.getValue()::call);
				if (thrown == null) {
					// some replies of another shape still read as an answer (nil where a count is expected
					// reads as "none"); then it must be the neutral one, never an invented value
					Object answer;
					try {
						answer = op.getValue().call();
					}
					catch (Exception ex) {
						throw new AssertionError(what + ": threw on the second call only: " + ex, ex);
					}
					assertThat(answer).as(what + " (did not throw)").isEqualTo(NEUTRAL.get(op.getKey()));
					continue;
				}
				assertThat(thrown).as(what).isInstanceOf(CacheException.class);
				assertThat(((CacheException) thrown).getErrorCode().isBackendFailure()).as(what + ": code " + thrown)
					.isTrue();
			}
		}
	}

	@Test
	void aGetAnsweredWithAnArrayIsAMiss() {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_OPEN, 3, Duration.ofSeconds(1));
		this.fake.answer("GET", Shape.ARRAY);
		assertThat(cache.get("a")).isEmpty();
		assertThat(cache.async().get("a").join()).isEmpty();
		RedisCacheBackend<String> strict = backend(FailureMode.FAIL_FAST, 3, Duration.ofSeconds(1));
		Throwable thrown = catchThrowable(() -> strict.get("a"));
		assertThat(thrown).isInstanceOf(CacheException.class);
		cache.shutdown();
	}

	@Test
	void aGetAnsweredWithAnIntegerIsAMissAndAnIncrAnsweredNilThrows() {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_OPEN, 3, Duration.ofSeconds(1));
		this.fake.put("ws:a", "real");
		this.fake.answer("GET", Shape.INTEGER).answer("EVALSHA", Shape.NULL_BULK).answer("EVAL", Shape.NULL_BULK);
		assertThat(cache.get("a")).isEmpty();
		assertThat(cache.async().get("a").join()).isEmpty();
		Throwable thrown = catchThrowable(() -> cache.incr("c"));
		assertThat(thrown).isInstanceOf(CacheException.class);
		assertThat(((CacheException) thrown).getErrorCode().isBackendFailure()).isTrue();
		assertThat(cache.getMany(List.of("a"))).containsExactly(Map.entry("a", "real"));
		this.fake.correct();
		assertThat(cache.get("a")).contains("real");
		assertThat(cache.incr("c", 1, 10, null)).isEqualTo(11);
	}

	/**
	 * Open the breaker (the server hangs), let the half-open probe get a reply of the wrong shape,
	 * then answer correctly: the backend serves again, and between the two, calls kept reaching
	 * the server (a probe that failed this way did not leave the breaker waiting for it forever).
	 */
	@Test
	void aHalfOpenProbeAnsweredWithTheWrongShapeDoesNotLeaveTheBreakerProbingForever() throws Exception {
		Duration open = Duration.ofMillis(400);
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_OPEN, 3, open);
		this.fake.put("ws:a", "real");
		// fail-open: a first connection slower than the 300 ms timeout (a cold JVM) completes in the background
		long connected = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (cache.get("a").isEmpty() && System.nanoTime() - connected < 0) {
			Thread.sleep(20);
		}
		assertThat(cache.get("a")).contains("real");
		this.fake.silent(true);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!cache.diagnostics().isCircuitOpen() && System.nanoTime() - deadline < 0) {
			assertThat(cache.get("a")).isEmpty();
		}
		assertThat(cache.diagnostics().isCircuitOpen()).as("breaker open while the server hangs").isTrue();
		this.fake.answer("GET", Shape.INTEGER);
		this.fake.silent(false);
		// probes go out (after a reconnect: the hung connection was given up) and get an integer
		long gets = this.fake.received("GET");
		deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.fake.received("GET") < gets + 5 && System.nanoTime() - deadline < 0) {
			assertThat(cache.get("a")).as("a GET answered with an integer").isEmpty();
			Thread.sleep(20);
		}
		assertThat(this.fake.received("GET")).as("GETs kept reaching the server after a probe got the wrong shape")
			.isGreaterThanOrEqualTo(gets + 5);
		this.fake.correct();
		long healed = System.nanoTime();
		deadline = healed + Duration.ofSeconds(5).toNanos();
		Optional<String> value = Optional.empty();
		while (value.isEmpty() && System.nanoTime() - deadline < 0) {
			value = cache.get("a");
			Thread.sleep(10);
		}
		assertThat(value).as("served again once the server answers correctly").contains("real");
		assertThat(cache.diagnostics().isCircuitOpen()).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - healed)).isLessThan(Duration.ofSeconds(3));
	}

}
