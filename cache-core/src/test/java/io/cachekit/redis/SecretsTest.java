package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.test.RedisExtension;

/** Passwords in URLs never reach logs, exceptions or toString(). */
class SecretsTest {

	private static final String PASSWORD = "s3cret-Pa55word";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private Logger logger;

	@BeforeEach
	void captureLogs() {
		this.logger = (Logger) LoggerFactory.getLogger(RedisCacheBackend.class);
		this.logger.setLevel(Level.DEBUG);
		this.logs.start();
		this.logger.addAppender(this.logs);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.logs);
		this.logger.setLevel(null);
		redis.process().restart();
	}

	private String url(String password) {
		return "redis://default:" + password + "@" + redis.process().host() + ":" + redis.process().port();
	}

	@Test
	void workingBackendNeverShowsThePassword() {
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url(PASSWORD)).build()) {
			cache.initialize();
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(cache.toString()).doesNotContain(PASSWORD).contains("default:****@");
			assertThat(cache.getTarget()).doesNotContain(PASSWORD);
			redis.process().stop();
			assertThat(cache.get("k")).isEmpty();
		}
		assertNoSecretInLogs();
		assertThat(this.logs.list).anyMatch((e) -> e.getLevel() == Level.WARN);
	}

	@Test
	void failuresNeverShowThePassword() {
		redis.process().stop();
		RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url(PASSWORD))
			.failureMode(FailureMode.FAIL_FAST)
			.connectTimeout(Duration.ofMillis(300))
			.build();
		Throwable ex = catchThrowable(cache::initialize);
		assertThat(ex).isInstanceOf(CacheException.class);
		assertNoSecretIn(ex);
		redis.process().restart();
		RedisCacheBackend<Object> wrong = RedisCacheBackend.builder(url("wrong-" + PASSWORD))
			.failureMode(FailureMode.FAIL_FAST)
			.build();
		Throwable auth = catchThrowable(wrong::initialize);
		assertThat(auth).isInstanceOf(CacheException.class);
		assertNoSecretIn(auth);
		assertNoSecretInLogs();
	}

	@Test
	void malformedUrlErrorsMaskThePassword() {
		Throwable ex = catchThrowable(() -> RedisCacheBackend.builder("redis://user:" + PASSWORD + "@host:notaport").build());
		assertThat(ex).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redisUrl")
			.hasMessageContaining("user:****@");
		assertNoSecretIn(ex);
		Throwable noScheme = catchThrowable(() -> RedisCacheBackend.builder(PASSWORD + "@localhost").build());
		assertThat(noScheme).hasMessageContaining("redisUrl");
		assertNoSecretIn(noScheme);
	}

	private void assertNoSecretInLogs() {
		for (ILoggingEvent event : this.logs.list) {
			assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD);
			if (event.getThrowableProxy() != null) {
				assertThat(event.getThrowableProxy().getMessage()).doesNotContain(PASSWORD);
			}
		}
	}

	private static void assertNoSecretIn(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
			assertThat(t.toString()).doesNotContain(PASSWORD);
		}
	}

}
