package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisBinary;
import io.cachekit.test.RedisProcess;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;

/**
 * {@code rediss://} against a TLS-only redis-server with a certificate made for the test. Needs
 * a TLS-capable redis-server (Debian's is; the embedded one is not): outside CI the test is
 * skipped without one, in CI it fails.
 */
class TlsTest {

	@TempDir
	static Path certs;

	private static RedisProcess redis;

	@BeforeAll
	static void startTlsRedis() throws Exception {
		boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
		assumeTrue(ci || RedisBinary.supportsTls(), "no TLS-capable redis-server on PATH");
		Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
				"-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
				certs.resolve("key.pem").toString(), "-out", certs.resolve("cert.pem").toString())
			.redirectErrorStream(true)
			.redirectOutput(certs.resolve("openssl.log").toFile())
			.start();
		assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(openssl.exitValue()).as("openssl: " + read(certs.resolve("openssl.log"))).isZero();
		int port = RedisProcess.freePort();
		redis = RedisProcess.start(port, "--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
				certs.resolve("cert.pem").toString(), "--tls-key-file", certs.resolve("key.pem").toString(),
				"--tls-ca-cert-file", certs.resolve("cert.pem").toString(), "--tls-auth-clients", "no");
	}

	@AfterAll
	static void stop() {
		if (redis != null) {
			redis.close();
		}
	}

	private static String url() {
		return "rediss://127.0.0.1:" + redis.port();
	}

	@Test
	void trustedCertificateWithFullVerification() throws Exception {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url())
			.failureMode(FailureMode.FAIL_FAST)
			.clientOptions((options) -> options
				.sslOptions(SslOptions.builder().trustManager(certs.resolve("cert.pem").toFile()).build()))
			.build()) {
			awaitInitialized(cache);
			assertThat(cache.set("tls", "secure")).isTrue();
			assertThat(cache.get("tls")).contains("secure");
		}
	}

	@Test
	void verificationCanBeRelaxedForSelfSignedCertificates() throws Exception {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url())
			.failureMode(FailureMode.FAIL_FAST)
			.sslVerifyMode(SslVerifyMode.NONE)
			.build()) {
			awaitInitialized(cache);
			assertThat(cache.ping()).isTrue();
		}
	}

	@Test
	void untrustedCertificateIsAConnectionFailure() {
		RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url())
			.failureMode(FailureMode.FAIL_FAST)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		CacheException ex = catchThrowableOfType(CacheException.class, cache::initialize);
		assertThat(ex.getErrorCode()).isEqualTo(ErrorCode.CONNECTION);
	}

	/** The server was started without a plain PING check: give it a moment to listen. */
	private static void awaitInitialized(RedisCacheBackend<Object> cache) throws InterruptedException {
		for (int i = 0; i < 100; i++) {
			try {
				cache.initialize();
				return;
			}
			catch (CacheException ex) {
				Thread.sleep(50);
			}
		}
		cache.initialize();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
