package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;

/**
 * {@code rediss://} against a TLS-only redis-server with a certificate made for the test. Needs
 * a TLS-capable redis-server (Debian's is; the embedded one is not): outside CI the test is
 * skipped without one, in CI it fails.
 */
class TlsTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.tls();

	@Test
	void trustedCertificateWithFullVerification() {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.failureMode(FailureMode.FAIL_FAST)
			.clientOptions((options) -> options
				.sslOptions(SslOptions.builder().trustManager(redis.tlsRedis().certificate().toFile()).build()))
			.build()) {
			cache.initialize();
			assertThat(cache.set("tls", "secure")).isTrue();
			assertThat(cache.get("tls")).contains("secure");
		}
	}

	@Test
	void verificationCanBeRelaxedForSelfSignedCertificates() {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.failureMode(FailureMode.FAIL_FAST)
			.sslVerifyMode(SslVerifyMode.NONE)
			.build()) {
			cache.initialize();
			assertThat(cache.ping()).isTrue();
		}
	}

	@Test
	void untrustedCertificateIsAConnectionFailure() {
		RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.failureMode(FailureMode.FAIL_FAST)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		CacheException ex = catchThrowableOfType(CacheException.class, cache::initialize);
		assertThat(ex.getErrorCode()).isEqualTo(ErrorCode.CONNECTION);
	}

}
