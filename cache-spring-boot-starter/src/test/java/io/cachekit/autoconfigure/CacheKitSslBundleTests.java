package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.core.CacheException;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.TlsRedis;

/**
 * TLS with a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) against a TLS-only
 * redis-server whose certificate only the bundle trusts: named by
 * {@code app.cache.redis-options.ssl-bundle}, or taken from {@code spring.data.redis.ssl.bundle}.
 */
class CacheKitSslBundleTests {

	private static TlsRedis redis;

	@BeforeAll
	static void startTlsRedis() {
		boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
		assumeTrue(ci || TlsRedis.isSupported(), "no TLS-capable redis-server on PATH");
		redis = TlsRedis.start();
	}

	@AfterAll
	static void stop() {
		if (redis != null) {
			redis.close();
		}
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.certificate(),
					"app.cache.failure-mode=fail-fast", "app.cache.connect-timeout=2s");
	}

	@Test
	void theNamedBundleSecuresARedissUrl() {
		runner().withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.redis-options.ssl-bundle=redis")
			.run(this::servesOverTls);
	}

	@Test
	void theNamedBundleTurnsTlsOnForARedisUrl() {
		runner().withPropertyValues("app.cache.redis-url=redis://127.0.0.1:" + redis.port(),
				"app.cache.redis-options.ssl-bundle=redis")
			.run((context) -> {
				servesOverTls(context);
				assertThat(context.getBean(RedisCacheBackend.class).getTarget()).startsWith("rediss://");
			});
	}

	@Test
	void theBundleOfSpringDataRedisIsUsedWhenTheConnectionComesFromThere() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.certificate(),
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
					"spring.data.redis.ssl.enabled=true", "spring.data.redis.ssl.bundle=redis",
					"app.cache.failure-mode=fail-fast")
			.run(this::servesOverTls);
	}

	@Test
	void withoutTheBundleTheCertificateIsNotTrusted() {
		runner().withPropertyValues("app.cache.redis-url=" + redis.url()).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(CacheException.class)
				.hasMessageContaining("unable to find valid certification path");
		});
	}

	@Test
	void anUnknownBundleFailsStartUpNamingTheProperty() {
		runner().withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.redis-options.ssl-bundle=nope")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(InvalidCacheKitConfigurationException.class)
					.rootCause()
					.hasMessageContaining("app.cache.redis-options.ssl-bundle")
					.hasMessageContaining("'nope'");
			});
	}

	private void servesOverTls(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
		assertThat(backend.isRunning()).isTrue();
		@SuppressWarnings("unchecked")
		RedisCacheBackend<Object> cache = (RedisCacheBackend<Object>) backend;
		assertThat(cache.set("tls", "secure")).isTrue();
		assertThat(cache.get("tls")).contains("secure");
		assertThat(cache.delete("tls")).isTrue();
	}

}
