package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.loading.LoadingLayer;
import io.cachekit.loading.LoadingSettings;
import io.cachekit.test.FakeRedis;
import io.cachekit.test.FakeRedis.Shape;

/**
 * A lease's {@code SET NX} answered with a reply of the wrong shape is a backend failure: the
 * caller loads for itself at once, as in an outage, on both faces. Before the fix a status, a value
 * or an array was read as "held elsewhere", and the caller polled for a holder that does not exist
 * until the lease wait ran out. Nil is SET NX's own "held elsewhere", so it is not among the shapes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class WrongShapeLeaseTest {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	/** Long enough that a caller who waits it out cannot be mistaken for one who did not. */
	private static final Duration LEASE_WAIT = Duration.ofSeconds(6);

	private FakeRedis fake;

	private RedisCacheBackend<String> backend;

	@BeforeEach
	void start() {
		this.fake = FakeRedis.start();
		this.backend = RedisCacheBackend.builder(this.fake.url())
			.serializer(CacheSerializers.string())
			.prefix("wl:")
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(TIMEOUT)
			.layer(LoadingLayer.of(LoadingSettings.defaults().withLeaseTime(LEASE_WAIT.multipliedBy(2)).withLeaseWait(LEASE_WAIT)))
			.build();
		this.backend.initialize();
		// a cold JVM's first connection can take longer than the command timeout
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!this.backend.ping() && System.nanoTime() - deadline < 0) {
			Thread.onSpinWait();
		}
		assertThat(this.backend.ping()).as("connected to " + this.fake).isTrue();
	}

	@AfterEach
	void stop() {
		this.backend.shutdown();
		this.fake.close();
	}

	@ParameterizedTest
	@EnumSource(value = Shape.class, names = "NULL_BULK", mode = EnumSource.Mode.EXCLUDE)
	void aWrongShapeLeaseReplyLoadsAtOnce(Shape shape) {
		this.fake.answer("SET", shape);
		for (boolean async : List.of(false, true)) {
			String key = shape + "-" + async;
			AtomicInteger loads = new AtomicInteger();
			long sets = this.fake.received("SET");
			long start = System.nanoTime();
			String value = async
					? this.backend.async().getOrLoad(key, () -> CompletableFuture.completedFuture("loaded-" + loads.incrementAndGet())).join()
					: this.backend.getOrLoad(key, () -> "loaded-" + loads.incrementAndGet());
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(value).as(key).isEqualTo("loaded-1");
			assertThat(loads).hasValue(1);
			assertThat(this.fake.received("SET") - sets).as("the lease was asked for (then the entry written)")
				.isGreaterThanOrEqualTo(1);
			// A GET, a SET NX, the load and a SET take a few command round trips; half the lease wait
			// leaves a wide margin on a busy machine and stays far from a caller who waited it out.
			assertThat(took).as(key + ": loaded without waiting out the lease wait").isLessThan(LEASE_WAIT.dividedBy(2));
		}
	}

}
