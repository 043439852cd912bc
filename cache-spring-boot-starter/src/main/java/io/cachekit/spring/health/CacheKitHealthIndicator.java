package io.cachekit.spring.health;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisUrls;

/**
 * Reports whether Redis answers, how fast, and its version. In fail-fast mode an unreachable
 * Redis is {@code DOWN}. In fail-open mode it is {@link #DEGRADED}: the application keeps
 * serving (every cache call is a miss), so the outage is shown without pulling the whole
 * application's health, or its readiness, down.
 */
public class CacheKitHealthIndicator extends AbstractHealthIndicator {

	/**
	 * Redis unreachable while the cache fails open. Not one of Spring Boot's ordered statuses, so
	 * it does not change the aggregate status (add it to
	 * {@code management.endpoint.health.status.order} to make it count).
	 */
	public static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; cache calls answer as misses");

	private final RedisCacheBackend<?> backend;

	public CacheKitHealthIndicator(RedisCacheBackend<?> backend) {
		super("CacheKit health check failed");
		this.backend = backend;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("target", RedisUrls.mask(this.backend.getTarget())).withDetail("failureMode", this.backend.getFailureMode());
		long start = System.nanoTime();
		boolean answered;
		try {
			answered = this.backend.ping();
		}
		catch (CacheException ex) {
			answered = false;
			// the message may quote what Lettuce said, and that may quote a URL
			builder.withDetail("error", ex.getErrorCode() + ": " + RedisUrls.maskText(String.valueOf(ex.getMessage())));
		}
		long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
		if (!answered) {
			builder.withDetail("circuitOpen", this.backend.isCircuitOpen());
			if (this.backend.getFailureMode() == FailureMode.FAIL_OPEN) {
				builder.status(DEGRADED);
			}
			else {
				builder.down();
			}
			return;
		}
		builder.up().withDetail("latency", Duration.ofNanos(micros * 1000).toString());
		Optional<String> version = this.backend.serverVersion()
			.get(this.backend.getCommandTimeout().toMillis() + 100, TimeUnit.MILLISECONDS);
		version.ifPresent((v) -> builder.withDetail("version", v));
	}

}
