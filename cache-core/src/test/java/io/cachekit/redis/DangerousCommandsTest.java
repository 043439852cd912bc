package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * Proves that no operation sends FLUSHDB, FLUSHALL or KEYS: the server has them renamed away,
 * so any use would be an error reply, and fail-fast would surface it.
 */
class DangerousCommandsTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--rename-command", "FLUSHDB", "",
			"--rename-command", "FLUSHALL", "", "--rename-command", "KEYS", "");

	@Test
	void everyBulkOperationWorksWithoutFlushOrKeys() {
		assertThatThrownBy(() -> Resp.call(redis.process().host(), redis.process().port(), "KEYS", "*"))
			.as("the server really refuses KEYS")
			.isInstanceOf(Resp.RespErrorException.class);
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(redis.url())
			.failureMode(FailureMode.FAIL_FAST)
			.build()) {
			cache.initialize();
			cache.setMany(Map.of("a", 1, "b", 2, "c", 3));
			cache.incr("n");
			cache.addToSet("s", "x");
			assertThat(cache.getMany(List.of("a", "b"))).hasSize(2);
			assertThat(cache.invalidatePattern("a*")).isEqualTo(1);
			assertThat(cache.deleteMany(List.of("b"))).isEqualTo(1);
			assertThat(cache.clear()).isTrue();
			assertThat(cache.exists("c")).isFalse();
			assertThat(cache.exists("s")).isFalse();
		}
	}

}
