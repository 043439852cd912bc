package io.cachekit.spring.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.near.NearCacheStats;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisConnection;

/**
 * Reports whether Redis answers, how fast, and its version. In fail-fast mode an unreachable
 * Redis is {@code DOWN}. In fail-open mode it is {@link #DEGRADED}: the application keeps
 * serving (every cache call is a miss), so the outage is shown without pulling the whole
 * application's health, or its readiness, down. The details also show what the backend's near
 * cache ({@code nearCache}) and each bridge cache's own near cache ({@code nearCaches}, by cache
 * name) hold and did: size, hits, misses, invalidations received, evictions, flushes by cause;
 * and the version of each bridge cache that has one ({@code cacheVersions}, by cache name).
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

	private final Supplier<? extends Map<String, NearCacheStats>> cacheNearCaches;

	private final Supplier<? extends Map<String, String>> cacheVersions;

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
		this(backend, failureMode, Map::of);
	}

	/**
	 * As {@link #CacheKitHealthIndicator(CacheBackend, FailureMode)}, also showing the near caches
	 * of the bridge caches that have their own (under {@code nearCaches}, by cache name, next to
	 * the backend's {@code nearCache}).
	 * @param backend the backend to ping
	 * @param failureMode see {@link #CacheKitHealthIndicator(CacheBackend, FailureMode)}
	 * @param cacheNearCaches the counters of those near caches by cache name, asked at every check
	 *     (caches created on first use appear once they exist), for example from
	 *     {@code CacheKitCacheManager.getNearCacheLayers()}
	 */
	public CacheKitHealthIndicator(CacheBackend<?> backend, FailureMode failureMode,
			Supplier<? extends Map<String, NearCacheStats>> cacheNearCaches) {
		this(backend, failureMode, cacheNearCaches, Map::of);
	}

	/**
	 * As {@link #CacheKitHealthIndicator(CacheBackend, FailureMode, Supplier)}, also showing the
	 * versions of the bridge caches that have one (under {@code cacheVersions}, by cache name).
	 * @param backend the backend to ping
	 * @param failureMode see {@link #CacheKitHealthIndicator(CacheBackend, FailureMode)}
	 * @param cacheNearCaches see {@link #CacheKitHealthIndicator(CacheBackend, FailureMode, Supplier)}
	 * @param cacheVersions the versions of the caches that have one, by cache name, asked at every
	 *     check, for example from {@code CacheKitCacheManager.getCacheVersions()}
	 */
	public CacheKitHealthIndicator(CacheBackend<?> backend, FailureMode failureMode,
			Supplier<? extends Map<String, NearCacheStats>> cacheNearCaches,
			Supplier<? extends Map<String, String>> cacheVersions) {
		super("CacheKit health check failed");
		this.backend = backend;
		this.cacheNearCaches = cacheNearCaches;
		this.cacheVersions = cacheVersions;
		this.redis = RedisCacheBackend.of(backend).orElse(null);
		this.failureMode = (this.redis != null) ? this.redis.getFailureMode() : failureMode;
	}

	/** What the backend's near cache holds and did ({@code nearCache}), when it has one. */
	private static void nearCacheDetails(RedisCacheBackend<?> redis, Health.Builder builder) {
		for (CacheLayer layer : redis.getLayers()) {
			if (layer instanceof NearCacheLayer near) {
				builder.withDetail("nearCache", NearCacheDetails.of(near.stats()));
				return;
			}
		}
	}

	/** The same for each cache with a near cache of its own ({@code nearCaches}, by cache name), when there are any. */
	private void cacheNearCacheDetails(Health.Builder builder) {
		Map<String, NearCacheStats> caches = this.cacheNearCaches.get();
		if (caches.isEmpty()) {
			return;
		}
		Map<String, Object> details = new TreeMap<>();
		caches.forEach((name, stats) -> details.put(name, NearCacheDetails.of(stats)));
		builder.withDetail("nearCaches", details);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		if (this.redis != null) {
			builder.withDetail("target", RedisConnection.mask(this.redis.getTarget()));
		}
		else {
			builder.withDetail("backend", this.backend.getClass().getName());
		}
		builder.withDetail("failureMode", this.failureMode);
		if (this.redis != null) {
			nearCacheDetails(this.redis, builder);
		}
		cacheNearCacheDetails(builder);
		Map<String, String> versions = this.cacheVersions.get();
		if (!versions.isEmpty()) {
			builder.withDetail("cacheVersions", new TreeMap<>(versions));
		}
		long start = System.nanoTime();
		boolean answered;
		try {
			answered = this.backend.ping();
		}
		catch (CacheException ex) {
			answered = false;
			// the message may quote what Lettuce said, and that may quote a URL
			builder.withDetail("error", ex.getErrorCode() + ": " + RedisConnection.maskText(String.valueOf(ex.getMessage())));
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
