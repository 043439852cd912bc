package io.cachekit.autoconfigure;

import java.time.Duration;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.cachekit.autoconfigure.CacheKitProperties.CacheLoading;
import io.cachekit.autoconfigure.CacheKitProperties.Loading;
import io.cachekit.loading.LoadingSettings;

/**
 * The loading layer's settings of a cache, from {@code app.cache.loading.*} and the cache's own
 * {@code app.cache.caches.<name>.loading.*}; a bad value fails start-up naming its property.
 */
final class LoadingConfigurations {

	private LoadingConfigurations() {
	}

	/**
	 * The settings of a cache whose own settings are {@code own} ({@code null}: none), or
	 * {@code null} when it has no stampede protection.
	 */
	static @Nullable LoadingSettings of(Loading defaults, @Nullable CacheLoading own, String property) {
		CacheLoading mine = (own != null) ? own : new CacheLoading();
		boolean earlyRefresh = pick(mine.getEarlyRefresh(), defaults.isEarlyRefresh());
		Duration staleGrace = pick(mine.getStaleGrace(), defaults.getStaleGrace());
		double jitter = pick(mine.getTtlJitter(), defaults.getTtlJitter());
		Duration timeToIdle = (mine.getTimeToIdle() != null) ? mine.getTimeToIdle() : defaults.getTimeToIdle();
		boolean features = earlyRefresh || !staleGrace.isZero() || jitter != 0 || timeToIdle != null;
		boolean enabled = (mine.getEnabled() != null) ? mine.getEnabled() : (defaults.isEnabled() || features);
		if (!enabled) {
			return null;
		}
		LoadingSettings settings = LoadingSettings.defaults();
		settings = step(property + ".lease-time", settings, (s) -> s.leaseTime(pick(mine.getLeaseTime(), defaults.getLeaseTime())));
		Duration leaseWait = (mine.getLeaseWait() != null) ? mine.getLeaseWait() : defaults.getLeaseWait();
		settings = step(property + ".lease-wait", settings, (s) -> s.leaseWait(leaseWait));
		settings = settings.earlyRefresh(earlyRefresh);
		settings = step(property + ".beta", settings, (s) -> s.beta(pick(mine.getBeta(), defaults.getBeta())));
		settings = step(property + ".stale-grace", settings, (s) -> s.staleGrace(staleGrace));
		Duration staleLoadTimeout = (mine.getStaleLoadTimeout() != null) ? mine.getStaleLoadTimeout()
				: defaults.getStaleLoadTimeout();
		settings = step(property + ".stale-load-timeout", settings, (s) -> s.staleLoadTimeout(staleLoadTimeout));
		settings = step(property + ".ttl-jitter", settings, (s) -> s.ttlJitter(jitter));
		return step(property + ".time-to-idle", settings, (s) -> s.timeToIdle(timeToIdle));
	}

	private static <V> V pick(@Nullable V own, V fallback) {
		return (own != null) ? own : fallback;
	}

	private static LoadingSettings step(String property, LoadingSettings settings,
			Function<LoadingSettings, LoadingSettings> change) {
		return CacheKitAutoConfiguration.check(property, () -> change.apply(settings));
	}

}
