package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * Sentinels that require a password of their own (as Bitnami's Redis chart sets them up): the
 * URL cannot carry it, {@code sentinelCredentials} does, and it never shows.
 */
class SentinelAuthTest {

	private static final String SENTINEL_PASSWORD = "s3ntinel-Secret";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.sentinel(SENTINEL_PASSWORD);

	private static RedisCacheBackendBuilder<Object> builder() {
		return RedisCacheBackend.builder(redis.url())
			.prefix("sentinel-auth:")
			.failureMode(FailureMode.FAIL_FAST)
			.connectTimeout(Duration.ofSeconds(2));
	}

	@Test
	void sentinelCredentialsAuthenticateWithEverySentinel() {
		try (RedisCacheBackend<Object> cache = builder().sentinelCredentials(null, SENTINEL_PASSWORD).build()) {
			cache.initialize();
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(cache.get("k")).contains("v");
			RedisProcess master = redis.redisSentinel().currentMaster();
			assertThat(Resp.call(master.host(), master.port(), "EXISTS", "sentinel-auth:k")).isEqualTo(1L);
			assertThat(cache.toString()).doesNotContain(SENTINEL_PASSWORD);
			assertThat(cache.delete("k")).isTrue();
		}
	}

	@Test
	void withoutThemTheSentinelsRefuseAndThePasswordIsNeverQuoted() {
		RedisCacheBackend<Object> cache = builder().build();
		CacheException ex = catchThrowableOfType(CacheException.class, cache::initialize);
		assertThat(ex.getErrorCode()).isEqualTo(ErrorCode.CONNECTION);
		RedisCacheBackend<Object> wrong = builder().sentinelCredentials(null, "not-" + SENTINEL_PASSWORD).build();
		CacheException refused = catchThrowableOfType(CacheException.class, wrong::initialize);
		assertThat(refused.getErrorCode()).isEqualTo(ErrorCode.CONNECTION);
		assertThat(refused).hasMessageNotContaining(SENTINEL_PASSWORD);
	}

	@Test
	void sentinelCredentialsNeedASentinelUrl() {
		assertThatThrownBy(() -> RedisCacheBackend.builder("redis://127.0.0.1:6379")
			.sentinelCredentials(null, SENTINEL_PASSWORD)
			.build()).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("redis-sentinel://")
			.hasMessageNotContaining(SENTINEL_PASSWORD);
	}

}
