package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.core.CacheException;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * TLS with a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) against a TLS-only
 * redis-server whose certificate only the bundle trusts: named by
 * {@code app.cache.redis-options.ssl-bundle}, or taken from {@code spring.data.redis.ssl.bundle}.
 */
class CacheKitSslBundleTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.tls();

	/**
	 * Timeouts far above a TLS handshake on a busy machine: these tests are about trust, not time, and a
	 * handshake slower than a tight connect timeout would fail start-up for the wrong reason (a timeout,
	 * not the certificate).
	 */
	private static final String[] GENEROUS_TIMEOUTS = { "app.cache.connect-timeout=15s", "app.cache.timeout=5s" };

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.tlsRedis().certificate(),
					"app.cache.failure-mode=fail-fast")
			.withPropertyValues(GENEROUS_TIMEOUTS);
	}

	@Test
	void theNamedBundleSecuresARedissUrl() {
		runner().withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.redis-options.ssl-bundle=redis")
			.run(this::servesOverTls);
	}

	@Test
	void theNamedBundleTurnsTlsOnForARedisUrl() {
		runner().withPropertyValues("app.cache.redis-url=redis://127.0.0.1:" + redis.tlsRedis().port(),
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
			.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.tlsRedis().certificate(),
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.tlsRedis().port(),
					"spring.data.redis.ssl.enabled=true", "spring.data.redis.ssl.bundle=redis",
					"app.cache.failure-mode=fail-fast")
			.withPropertyValues(GENEROUS_TIMEOUTS)
			.run(this::servesOverTls);
	}

	@Test
	void withoutTheBundleTheCertificateIsNotTrusted() {
		// start-up retries until the connect timeout and then reports the last attempt's cause: 5 s is still
		// many handshakes on a busy machine (a 500 ms bound once failed here with a timeout instead)
		runner().withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.connect-timeout=5s").run((context) -> {
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
