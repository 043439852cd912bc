package io.cachekit.spring.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.ErrorCode;
import io.cachekit.core.OperationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Backend metrics: {@code cachekit.operations} (a timer by {@code operation} and
 * {@code outcome=success|failure}) and {@code cachekit.errors} (a counter by {@code operation}
 * and {@code error}, the {@link ErrorCode}). Meters are looked up once and cached, so the hot
 * path does no registry work.
 */
public class MicrometerOperationListener implements OperationListener {

	/** Timer of every backend operation. */
	public static final String OPERATIONS = "cachekit.operations";

	/** Counter of failed backend operations. */
	public static final String ERRORS = "cachekit.errors";

	private final MeterRegistry registry;

	private final ConcurrentMap<String, Timer> successes = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Timer> failures = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();

	/**
	 * Counts operations and errors in {@code registry}.
	 * @param registry where the meters go
	 */
	public MicrometerOperationListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOperation(String operation, long durationNanos, @Nullable ErrorCode error) {
		if (error == null) {
			timer(this.successes, operation, "success").record(durationNanos, TimeUnit.NANOSECONDS);
			return;
		}
		timer(this.failures, operation, "failure").record(durationNanos, TimeUnit.NANOSECONDS);
		this.errors.computeIfAbsent(operation + '/' + error.name(), (k) -> Counter.builder(ERRORS)
			.description("Failed CacheKit backend operations")
			.tag("operation", operation)
			.tag("error", error.name())
			.register(this.registry)).increment();
	}

	private Timer timer(ConcurrentMap<String, Timer> timers, String operation, String outcome) {
		Timer timer = timers.get(operation);
		if (timer == null) {
			timer = timers.computeIfAbsent(operation, (op) -> Timer.builder(OPERATIONS)
				.description("CacheKit backend operations")
				.tag("operation", op)
				.tag("outcome", outcome)
				.register(this.registry));
		}
		return timer;
	}

}
