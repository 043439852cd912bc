package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.health.CacheKitHealthContributorAutoConfiguration;
import io.cachekit.autoconfigure.metrics.CacheKitMetricsAutoConfiguration;
import io.cachekit.core.serialization.JsonShape;
import io.cachekit.spring.CacheKitCache;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.test.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@code app.cache.caches.<name>.version}: checked at start-up, in the keys, in metrics and health. */
class CacheKitVersionsAutoConfigurationTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	/** A typed cache's value. */
	public record Item(String id, int stock) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, CacheKitMetricsAutoConfiguration.class, CacheMetricsAutoConfiguration.class,
				CacheKitHealthContributorAutoConfiguration.class))
		.withUserConfiguration(Caching.class)
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.prefix=ver-ac:",
				"app.cache.timeout=5s", "app.cache.connect-timeout=5s");

	@Test
	void versionsGoIntoTheKeysMetricsAndHealth() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.items.value-type=" + Item.class.getName(),
					"app.cache.caches.items.version=auto", "app.cache.caches.users.version=2026-12.1",
					"app.cache.caches.plain.ttl=60s")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				String fingerprint = JsonShape.fingerprint(Item.class);
				assertThat(((CacheKitCache) manager.getCache("items")).getVersion()).isEqualTo(fingerprint);
				assertThat(((CacheKitCache) manager.getCache("plain")).getVersion()).isNull();
				assertThat(manager.getCacheVersions())
					.isEqualTo(Map.of("items", fingerprint, "users", "2026-12.1"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("cache.version").tag("cache", "users").tag("version", "2026-12.1").gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.get("cache.version").tag("cache", "items").gauge().getId().getTag("version"))
					.isEqualTo(fingerprint);
				assertThat(registry.find("cache.version").tag("cache", "plain").meters()).isEmpty();
				Health health = context.getBean("cacheKitHealthContributor", HealthIndicator.class).health(true);
				assertThat(health.getDetails().get("cacheVersions"))
					.isEqualTo(Map.of("items", fingerprint, "users", "2026-12.1"));
			});
	}

	@Test
	void autoWithoutAValueTypeFailsAtStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("app.cache.caches.items.version=auto").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidCacheKitConfigurationException.class)
				.hasMessageContaining("app.cache.caches.items.version");
		});
	}

	@Test
	void aMalformedVersionFailsAtStartUp() {
		this.contextRunner.withPropertyValues("app.cache.caches.items.version={slot}").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidCacheKitConfigurationException.class)
				.hasMessageContaining("app.cache.caches.items.version");
		});
	}

}
