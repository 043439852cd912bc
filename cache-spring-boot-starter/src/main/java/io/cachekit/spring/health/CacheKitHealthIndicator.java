package io.cachekit.spring.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.near.FlushCause;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.near.NearCacheStats;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.internal.RedisUrls;

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

	private final CacheBackend<?> backend;

	private final @Nullable RedisCacheBackend<?> redis;

	private final FailureMode failureMode;

	/**
	 * Health of a {@code RedisCacheBackend}, in its own failure mode.
	 * @param backend the backend to ping
	 */
	public CacheKitHealthIndicator(RedisCacheBackend<?> backend) {
		this(backend, backend.getFailureMode());
	}

	/**
	 * For any backend, such as a decorator of your own: health is whether {@code ping()} answers.
	 * @param backend the backend to ping
	 * @param failureMode whether an unanswered ping is {@link #DEGRADED} ({@code FAIL_OPEN}) or
	 *     {@code DOWN}, for backends that do not say (a {@code RedisCacheBackend} does)
	 */
	public CacheKitHealthIndicator(CacheBackend<?> backend, FailureMode failureMode) {
		super("CacheKit health check failed");
		this.backend = backend;
		this.redis = (backend instanceof RedisCacheBackend<?> redisBackend) ? redisBackend : null;
		this.failureMode = (this.redis != null) ? this.redis.getFailureMode() : failureMode;
	}

	/** What the backend's near cache holds and did ({@code nearCache}), when it has one. */
	private static void nearCacheDetails(RedisCacheBackend<?> redis, Health.Builder builder) {
		for (CacheLayer layer : redis.getLayers()) {
			if (layer instanceof NearCacheLayer near) {
				NearCacheStats stats = near.stats();
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("size", stats.size());
				details.put("hits", stats.hits());
				details.put("misses", stats.misses());
				details.put("invalidations", stats.invalidations());
				details.put("evictions", stats.evictions());
				Map<String, Long> flushes = new LinkedHashMap<>();
				for (FlushCause cause : FlushCause.values()) {
					flushes.put(cause.name(), stats.flushes(cause));
				}
				details.put("flushes", flushes);
				builder.withDetail("nearCache", details);
				return;
			}
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		if (this.redis != null) {
			builder.withDetail("target", RedisUrls.mask(this.redis.getTarget()));
		}
		else {
			builder.withDetail("backend", this.backend.getClass().getName());
		}
		builder.withDetail("failureMode", this.failureMode);
		if (this.redis != null) {
			nearCacheDetails(this.redis, builder);
		}
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
			if (this.redis != null) {
				builder.withDetail("circuitOpen", this.redis.diagnostics().isCircuitOpen());
			}
			if (this.failureMode == FailureMode.FAIL_OPEN) {
				builder.status(DEGRADED);
			}
			else {
				builder.down();
			}
			return;
		}
		builder.up().withDetail("latency", Duration.ofNanos(micros * 1000).toString());
		if (this.redis != null) {
			Optional<String> version = this.redis.diagnostics().serverVersion()
				.get(this.redis.getCommandTimeout().toMillis() + 100, TimeUnit.MILLISECONDS);
			version.ifPresent((v) -> builder.withDetail("version", v));
		}
	}

}
