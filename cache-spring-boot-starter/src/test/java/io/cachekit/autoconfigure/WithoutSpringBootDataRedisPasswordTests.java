package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * An application without {@code spring-boot-data-redis} reaches a password-protected server from
 * {@code spring.data.redis.*} alone: host, port, database and password, or the URL (its
 * percent-encoded password decoded, as Boot does).
 */
class WithoutSpringBootDataRedisPasswordTests {

	private static final String PASSWORD = "Hash#Slash/At@pw";

	private static final String ENCODED = "Hash%23Slash%2FAt%40pw";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	@Test
	void hostPortDatabaseAndPassword() {
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.process().port(),
					"spring.data.redis.database=3", "spring.data.redis.password=" + PASSWORD, "spring.data.redis.timeout=2s",
					"app.cache.failure-mode=fail-fast")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisCacheBackend<?> cache = context.getBean(RedisCacheBackend.class);
				assertThat(cache.getTarget()).isEqualTo("redis://:****@127.0.0.1:" + redis.process().port() + "/3");
				WithoutSpringBootDataRedisServes.serves(cache);
			});
	}

	@Test
	void urlWithUserAndEncodedPassword() {
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.url=redis://default:" + ENCODED + "@127.0.0.1:" + redis.process().port() + "/2",
					"spring.data.redis.timeout=2s", "app.cache.failure-mode=fail-fast")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisCacheBackend<?> cache = context.getBean(RedisCacheBackend.class);
				assertThat(cache.getTarget()).isEqualTo("redis://default:****@127.0.0.1:" + redis.process().port() + "/2");
				WithoutSpringBootDataRedisServes.serves(cache);
			});
	}

	@Test
	void aWrongPasswordFailsStartUpWithoutQuotingIt() {
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.port=" + redis.process().port(), "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.password=wrong-" + PASSWORD, "app.cache.failure-mode=fail-fast",
					"spring.data.redis.timeout=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("127.0.0.1:" + redis.process().port());
				java.io.StringWriter trace = new java.io.StringWriter();
				context.getStartupFailure().printStackTrace(new java.io.PrintWriter(trace));
				assertThat(trace.toString()).doesNotContain("Hash#Slash");
			});
	}

}
