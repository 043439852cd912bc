package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.contract.AsyncFaceAdapter;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.test.FakeRedis;
import io.cachekit.test.FakeRedis.Shape;

/**
 * A SCAN answered with a reply of the wrong shape (a lone number, a value, a status, an array
 * without the keys, nil) ends {@code clear()} and {@code invalidatePattern} with a backend failure
 * ({@code REDIS_ERROR}): fail-open answers as in an outage, fail-fast throws. Before the fix a lone
 * number read as a cursor that is never "0": SCAN again, for good, and the call never returned;
 * the timeout turns that into a failure instead of a hung build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class WrongShapeScanTest {

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

	private RedisCacheBackend<String> backend(FailureMode mode) {
		this.backend = RedisCacheBackend.builder(this.fake.url())
			.serializer(CacheSerializers.string())
			.prefix("ws:")
			.failureMode(mode)
			.commandTimeout(TIMEOUT)
			.build();
		this.backend.initialize();
		// a cold JVM's first connection can take longer than the command timeout: wait for it, so
		// that what follows is about SCAN's reply, not about connecting
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!this.backend.ping() && System.nanoTime() - deadline < 0) {
			Thread.onSpinWait();
		}
		assertThat(this.backend.ping()).as("connected to " + this.fake).isTrue();
		return this.backend;
	}

	private static List<CacheBackend<String>> faces(RedisCacheBackend<String> cache) {
		return List.of(cache, new AsyncFaceAdapter<>(cache.async()));
	}

	/**
	 * Every fixed shape of {@link FakeRedis}, and lone numbers (a value, a status, an array of one,
	 * a lone "0" that Lettuce would read as "finished"), which Lettuce reads as a cursor without keys.
	 */
	static Stream<Arguments> replies() {
		List<Arguments> replies = new ArrayList<>();
		for (Shape shape : Shape.values()) {
			replies.add(Arguments.of(shape.name(), (Consumer<FakeRedis>) (fake) -> fake.answer("SCAN", shape)));
		}
		for (String raw : List.of("$1\r\n7\r\n", "+7\r\n", "*1\r\n$1\r\n7\r\n", "$1\r\n0\r\n",
				"*3\r\n$1\r\n7\r\n*0\r\n$1\r\nx\r\n")) {
			replies.add(Arguments.of(raw.replace("\r\n", " "), (Consumer<FakeRedis>) (fake) -> fake.answerRaw("SCAN", raw)));
		}
		return replies.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replies")
	void failOpenEndsTheWalkAsInAnOutage(String shape, Consumer<FakeRedis> scanAnswers) {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_OPEN);
		scanAnswers.accept(this.fake);
		for (CacheBackend<String> face : faces(cache)) {
			long scans = this.fake.received("SCAN");
			assertThat(face.clear()).as("clear, SCAN answered " + shape).isFalse();
			assertThat(face.invalidatePattern("*")).as("invalidatePattern, SCAN answered " + shape).isZero();
			assertThat(this.fake.received("SCAN") - scans).as("one SCAN per call, then the walk ends").isEqualTo(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replies")
	void failFastThrowsRedisError(String shape, Consumer<FakeRedis> scanAnswers) {
		RedisCacheBackend<String> cache = backend(FailureMode.FAIL_FAST);
		scanAnswers.accept(this.fake);
		for (CacheBackend<String> face : faces(cache)) {
			for (Throwable thrown : List.of(catchThrowable(face::clear), catchThrowable(() -> face.invalidatePattern("*")))) {
				assertThat(thrown).as("SCAN answered " + shape).isInstanceOf(CacheException.class);
				ErrorCode code = ((CacheException) thrown).getErrorCode();
				assertThat(code).as("SCAN answered " + shape + ": " + thrown).isEqualTo(ErrorCode.REDIS_ERROR);
			}
		}
	}

}
