package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisSentinel;

/**
 * Sentinel nodes that require a password of their own: from
 * {@code app.cache.redis-options.sentinel-password} or {@code spring.data.redis.sentinel.password},
 * and never shown.
 */
class CacheKitSentinelTests {

	private static final String SENTINEL_PASSWORD = "s3ntinel-Secret";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel(SENTINEL_PASSWORD);

	@Test
	void sentinelPasswordFromCacheKitProperties() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=" + redis.url(),
					"app.cache.redis-options.sentinel-password=" + SENTINEL_PASSWORD, "app.cache.failure-mode=fail-fast",
					// these tests are about credentials, not time: a busy machine must not fail a fail-fast start-up
					"app.cache.connect-timeout=10s", "app.cache.timeout=5s")
			.run(this::serves);
	}

	@Test
	void sentinelPasswordFromSpringDataRedis() {
		String nodes = redis.url().substring("redis-sentinel://".length(), redis.url().indexOf('/', 17));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.sentinel.master=" + RedisSentinel.MASTER_NAME,
					"spring.data.redis.sentinel.nodes=" + nodes, "spring.data.redis.sentinel.password=" + SENTINEL_PASSWORD,
					"app.cache.failure-mode=fail-fast", "app.cache.connect-timeout=10s", "app.cache.timeout=5s")
			.run((context) -> {
				serves(context);
				assertThat(context.getBean(Connections.DataRedisConnections.class).properties().get().toString()).startsWith("Resolved[redis-sentinel://")
					.doesNotContain(SENTINEL_PASSWORD);
			});
	}

	@Test
	void aWrongSentinelPasswordFailsStartUpWithoutQuotingIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.failure-mode=fail-fast",
					"app.cache.redis-options.sentinel-password=wrong-" + SENTINEL_PASSWORD)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Could not connect")
					.satisfies((ex) -> assertThat(stackTrace(ex)).doesNotContain(SENTINEL_PASSWORD));
			});
	}

	@Test
	void aSentinelPasswordWithoutASentinelUrlFailsStartUpNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=redis://:data-pw@127.0.0.1:6379",
					"app.cache.redis-options.sentinel-password=" + SENTINEL_PASSWORD)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidCacheKitConfigurationException.class)
					.hasMessageContaining("app.cache.redis-options.sentinel-password")
					.hasMessageContaining("Sentinel connections only")
					.hasMessageNotContaining(SENTINEL_PASSWORD)
					.hasMessageNotContaining("data-pw");
			});
	}

	@Test
	void passwordPropertiesAreMaskedInActuatorEndpoints() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitEndpointSanitizingAutoConfiguration.class))
			.run((context) -> {
				SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
				for (String key : new String[] { "app.cache.redis-options.sentinel-password",
						"app.cache.redisOptions.sentinelPassword" }) {
					SanitizableData data = sanitizer.apply(new SanitizableData(null, key, SENTINEL_PASSWORD));
					assertThat(data.getValue()).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
				}
				SanitizableData other = sanitizer.apply(new SanitizableData(null, "app.cache.prefix", "shop:"));
				assertThat(other.getValue()).isEqualTo("shop:");
			});
	}

	private void serves(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		@SuppressWarnings("unchecked")
		RedisCacheBackend<Object> cache = context.getBean(RedisCacheBackend.class);
		assertThat(cache.set("k", "v")).isTrue();
		assertThat(cache.get("k")).contains("v");
		assertThat(cache.delete("k")).isTrue();
		assertThat(cache.toString()).doesNotContain(SENTINEL_PASSWORD);
	}

	private static String stackTrace(Throwable ex) {
		java.io.StringWriter out = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(out));
		return out.toString();
	}

}
