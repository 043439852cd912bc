package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachekit.core.FailureMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;

/**
 * A password with characters reserved in URLs works when percent-encoded: Lettuce 7.5 decodes
 * the user-info ({@code %23} becomes {@code #}), for every URL form we hand it.
 */
class PercentEncodedPasswordTest {

	private static final String DEFAULT_PASSWORD = "Hash#Secr3t";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", DEFAULT_PASSWORD);

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String hostAndPort() {
		return redis.process().host() + ":" + redis.process().port();
	}

	@Test
	void encodedHashAuthenticatesAsTheDefaultUser() {
		String url = "redis://:Hash%23Secr3t@" + hostAndPort();
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url).failureMode(FailureMode.FAIL_FAST).build()) {
			cache.initialize();
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(cache.get("k")).contains("v");
			assertThat(cache.toString()).doesNotContain("Hash").doesNotContain("Secr3t");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "Sl4sh/Part2x", "Qu3ry?Part2y", "At4t@Part2z", "Hash#Part2w", "Pc%t25", "All#/?@%:+ x" })
	void encodedReservedCharactersAuthenticateANamedUser(String password) {
		String user = "u" + Integer.toHexString(password.hashCode());
		Resp.callWithAuth(redis.process().host(), redis.process().port(), DEFAULT_PASSWORD, "ACL", "SETUSER", user,
				"reset", "on", ">" + password, "~*", "&*", "+@all");
		String url = "redis://" + user + ":" + encode(password) + "@" + hostAndPort() + "/0";
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url).failureMode(FailureMode.FAIL_FAST).build()) {
			cache.initialize();
			assertThat(cache.set("k-" + user, "v")).isTrue();
			assertThat(cache.get("k-" + user)).contains("v");
			assertThat(cache.toString()).contains(user + ":****@").doesNotContain("Part2").doesNotContain(encode(password));
		}
	}

	@Test
	void lettuceDecodesTheUserInfoOfEveryUrlForm() {
		String encoded = "us%40er:" + encode("All#/?@%:x");
		assertCredentials(RedisTarget.parse("redis://" + encoded + "@h:6379/1", false).uris().get(0));
		assertCredentials(RedisTarget.parse("rediss://" + encoded + "@h:6379", false).uris().get(0));
		RedisTarget cluster = RedisTarget.parse("redis://" + encoded + "@h1:7000,h2:7001,h3:7002", false);
		assertThat(cluster.isCluster()).isTrue();
		cluster.uris().forEach(PercentEncodedPasswordTest::assertCredentials);
		RedisURI sentinel = RedisTarget.parse("redis-sentinel://" + encoded + "@h1:26379,h2:26380/2#mymaster", false)
			.uris()
			.get(0);
		assertThat(sentinel.getSentinelMasterId()).isEqualTo("mymaster");
		assertThat(sentinel.getSentinels()).hasSize(2);
		assertThat(sentinel.getDatabase()).isEqualTo(2);
		assertCredentials(sentinel);
	}

	private static void assertCredentials(RedisURI uri) {
		RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
		assertThat(credentials).isNotNull();
		assertThat(credentials.getUsername()).isEqualTo("us@er");
		assertThat(new String(credentials.getPassword())).isEqualTo("All#/?@%:x");
	}

}
