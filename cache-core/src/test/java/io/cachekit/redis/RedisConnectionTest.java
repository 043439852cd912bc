package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;

/**
 * A {@link RedisConnection} carries its TLS material (no client-options customizer needed), from
 * a URL or a Lettuce {@link RedisURI}, against a TLS-only redis-server whose certificate only
 * that material trusts; and it never shows a password.
 */
class RedisConnectionTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.tls();

	/** The first TLS handshake of a JVM (and the HELLO after it) can outlast 500 ms on a loaded machine. */
	private static final Duration HANDSHAKE_UNDER_LOAD = Duration.ofSeconds(5);

	private static SslOptions trustingTheTestCertificate() {
		return SslOptions.builder().trustManager(redis.tlsRedis().certificate().toFile()).build();
	}

	@Test
	void aPlainUrlWithTlsMaterialConnectsOverTls() {
		RedisConnection connection = RedisConnection.url("redis://127.0.0.1:" + redis.tlsRedis().port())
			.withSsl(trustingTheTestCertificate());
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(connection)
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(HANDSHAKE_UNDER_LOAD)
			.build()) {
			cache.initialize();
			assertThat(cache.getTarget()).startsWith("rediss://");
			assertThat(cache.set("tls-url", "secure")).isTrue();
			assertThat(cache.get("tls-url")).contains("secure");
		}
	}

	@Test
	void aRedisUriWithTlsMaterialConnectsOverTls() {
		RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(redis.tlsRedis().port()).build();
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(uri)
			.ssl(trustingTheTestCertificate())
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(HANDSHAKE_UNDER_LOAD)
			.build()) {
			cache.initialize();
			assertThat(cache.getTarget()).isEqualTo("rediss://127.0.0.1:" + redis.tlsRedis().port() + "/0");
			assertThat(cache.set("tls-uri", "secure")).isTrue();
			assertThat(cache.get("tls-uri")).contains("secure");
		}
	}

	@Test
	void urisAreShownAsUrlsWithThePasswordMasked() {
		RedisURI uri = RedisURI.builder().withHost("h").withPort(6380).withDatabase(2)
			.withAuthentication(new StaticCredentialsProvider("app", "pw-Secret#1".toCharArray()))
			.build();
		assertThat(RedisConnection.of(uri)).hasToString("RedisConnection[redis://app:****@h:6380/2]");
		RedisURI sentinel = RedisURI.Builder.sentinel("s1", 26379, "mymaster").withSentinel("s2", 26380).build();
		assertThat(RedisConnection.of(sentinel).withSentinelCredentials(null, "s3ntinel-Secret"))
			.hasToString("RedisConnection[redis-sentinel://s1:26379,s2:26380/0#mymaster]");
		assertThat(RedisConnection.cluster(List.of(RedisURI.create("redis://:pw-Secret@c1:7000"), RedisURI.create("redis://c2:7001"))).toString())
			.doesNotContain("pw-Secret")
			.startsWith("RedisConnection[redis://");
	}

	@Test
	void sentinelCredentialsNeedASentinelUri() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnection.of(RedisURI.create("redis://:data-pw@h:6379")).withSentinelCredentials(null, "x"))
			.withMessageContaining("Sentinel connections only")
			.withMessageNotContaining("data-pw");
	}

}
