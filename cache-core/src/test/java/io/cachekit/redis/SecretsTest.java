package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cachekit.core.CacheException;
import io.cachekit.core.FailureMode;
import io.cachekit.redis.internal.RedisTarget;
import io.cachekit.redis.internal.RedisUrls;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import io.lettuce.core.RedisURI;

/** Passwords in URLs never reach logs, exceptions or toString(). */
class SecretsTest {

	private static final String PASSWORD = "s3cret-Pa55word";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private Logger logger;

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	@BeforeEach
	void captureLogs() {
		this.logger = (Logger) LoggerFactory.getLogger(RedisCacheBackend.class);
		this.logger.setLevel(Level.DEBUG);
		this.logs.start();
		// on the root logger: what Lettuce logs counts too
		this.root.addAppender(this.logs);
	}

	@AfterEach
	void release() {
		this.root.detachAppender(this.logs);
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

	/**
	 * A password (and a user) in the URL's query string is masked wherever the URL is shown: the
	 * backend's toString and target, the "connected" line at start-up, failures. Lettuce ignores
	 * such parameters, so the URL also carries the password in its user-info to connect.
	 */
	@Test
	void aPasswordInTheQueryStringIsNeverShown() {
		String url = url(PASSWORD) + "/0?user=app-" + PASSWORD + "&password=" + PASSWORD + "&clientName=cachekit";
		try (RedisCacheBackend<Object> cache = RedisCacheBackend.builder(url).build()) {
			cache.initialize();
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(cache.toString()).doesNotContain(PASSWORD).contains("?user=****&password=****&clientName=cachekit");
			assertThat(cache.getTarget()).doesNotContain(PASSWORD).endsWith("?user=****&password=****&clientName=cachekit");
			redis.process().stop();
			assertThat(cache.get("k")).isEmpty();
		}
		assertThat(this.logs.list).anyMatch((e) -> e.getFormattedMessage().startsWith("CacheKit connected to ")
				&& e.getFormattedMessage().contains("password=****"));
		assertThat(this.logs.list).anyMatch((e) -> e.getLevel() == Level.WARN);
		assertNoSecretInLogs();
		String sentinel = "redis-sentinel://127.0.0.1:26379?sentinelMasterId=mymaster&password=" + PASSWORD;
		assertThat(RedisTarget.parse(sentinel, false).toString())
			.isEqualTo("redis-sentinel://127.0.0.1:26379?sentinelMasterId=mymaster&password=****");
		assertThat(RedisUrls.mask(sentinel)).doesNotContain(PASSWORD);
		CacheException refused = (CacheException) catchThrowable(() -> {
			try (RedisCacheBackend<Object> down = RedisCacheBackend.builder("redis://127.0.0.1:" + RedisProcess.freePort()
					+ "?password=" + PASSWORD).failureMode(FailureMode.FAIL_FAST).connectTimeout(Duration.ofMillis(300)).build()) {
				down.initialize();
			}
		});
		assertThat(refused).isNotNull();
		assertNoSecretIn(refused);
		assertNoSecretInLogs();
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
		Throwable beforeScheme = catchThrowable(() -> RedisCacheBackend.builder("user:" + PASSWORD + "@redis://localhost").build());
		assertThat(beforeScheme).hasMessageContaining("unsupported scheme");
		assertNoSecretIn(beforeScheme);
		Throwable hostForgotten = catchThrowable(() -> RedisCacheBackend.builder("redis://:" + PASSWORD).build());
		assertThat(hostForgotten).hasMessageContaining("redis://****");
		assertNoSecretIn(hostForgotten);
		Throwable badEscape = catchThrowable(() -> RedisCacheBackend.builder("redis://user:%zz" + PASSWORD + "@localhost").build());
		assertThat(badEscape).hasMessageContaining("%25");
		assertNoSecretIn(badEscape);
	}

	/** Passwords whose reserved character, unencoded, makes Lettuce read the user-info differently than we do. */
	static Stream<String> reservedPasswords() {
		return Stream.of("Hash#Secr3t", "Sl4sh/Part2x", "Qu3ry?Part2y", "At4t@Part2z");
	}

	/** Every URL form, with {@code PW} where the password goes and {@code HOST} for host:port. */
	static Stream<String> urlForms() {
		return Stream.of("redis://:PW@HOST", "redis://us3rName:PW@HOST/0", "rediss://us3rName:PW@HOST",
				"redis-sentinel://:PW@HOST,127.0.0.1:1/2#mymaster", "redis://us3rName:PW@HOST,127.0.0.1:1",
				"redis://PW@HOST?timeout=2s");
	}

	static Stream<Arguments> reservedPasswordInEveryForm() {
		return reservedPasswords().flatMap((pw) -> urlForms().map((form) -> Arguments.of(form, pw)));
	}

	@ParameterizedTest(name = "{0} with {1}")
	@MethodSource("reservedPasswordInEveryForm")
	void reservedCharactersInTheUserInfoAreRefusedShowingNoPartOfIt(String form, String password) {
		String host = "127.0.0.1:" + RedisProcess.freePort();
		String url = form.replace("PW", password).replace("HOST", host);
		long start = System.nanoTime();
		Throwable ex = catchThrowable(() -> RedisCacheBackend.builder(url).connectTimeout(Duration.ofSeconds(5)).build());
		Throwable validated = catchThrowable(() -> RedisUrls.validate(url, false));
		// refused on the spot: no connection attempted, no name resolved
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		for (Throwable t : List.of(ex, validated)) {
			assertThat(t).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("redisUrl")
				.hasMessageContaining("%23")
				.hasMessageContaining("%2F")
				.hasMessageContaining("%3F")
				.hasMessageContaining("%40")
				.hasMessageContaining("://****@" + host);
			assertThat(t.getMessage()).doesNotContain("us3rName");
			// masking the message again (a log line, a failure report) leaves it readable
			assertThat(RedisUrls.maskText(t.getMessage())).isEqualTo(t.getMessage());
			assertNoPartOf(password, t);
		}
		assertThat(RedisUrls.mask(url)).contains("****@" + host);
		assertNoPartOfPasswordIn(RedisUrls.mask(url), password);
		for (ILoggingEvent event : this.logs.list) {
			assertNoPartOfPasswordIn(event.getFormattedMessage(), password);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "redis://:Hash#Secr3t@127.0.0.1:6379, :Hash", "redis://:Qu3ry?Part2y@127.0.0.1:6379, :Qu3ry" })
	void lettuceAloneWouldTakePartOfThePasswordForTheHost(String url, String host) {
		// why the URLs above are refused: Lettuce 7.5 would look this host name up, then connect to it
		assertThat(RedisURI.create(url).getHost()).isEqualTo(host);
	}

	static Stream<Arguments> ordinaryPasswordInEveryForm() {
		return Stream.of("s3cret-Pa55word", "Pct%25Encoded%23Pw", "p%40ss%2Fw0rd-x", "plus+semi;comma,eq=pw")
			.flatMap((pw) -> urlForms().map((form) -> Arguments.of(form, pw)));
	}

	@ParameterizedTest(name = "{0} with {1}")
	@MethodSource("ordinaryPasswordInEveryForm")
	void connectionFailuresInEveryFormNeverShowThePassword(String form, String password) {
		String url = form.replace("PW", password).replace("HOST", "127.0.0.1:" + RedisProcess.freePort());
		RedisCacheBackend<Object> fast = RedisCacheBackend.builder(url)
			.failureMode(FailureMode.FAIL_FAST)
			.connectTimeout(Duration.ofMillis(300))
			.commandTimeout(Duration.ofMillis(300))
			.build();
		assertNoPartOfPasswordIn(fast.toString(), password);
		assertNoPartOfPasswordIn(fast.getTarget(), password);
		Throwable ex = catchThrowable(fast::initialize);
		assertThat(ex).isInstanceOf(CacheException.class);
		assertNoPartOf(password, ex);
		try (RedisCacheBackend<Object> open = RedisCacheBackend.builder(url)
			.connectTimeout(Duration.ofMillis(300))
			.commandTimeout(Duration.ofMillis(300))
			.failureLogInterval(Duration.ofMillis(1))
			.build()) {
			open.initialize();
			assertThat(open.get("k")).isEmpty();
		}
		assertThat(this.logs.list).anyMatch((e) -> e.getLevel() == Level.WARN);
		for (ILoggingEvent event : this.logs.list) {
			assertNoPartOfPasswordIn(event.getFormattedMessage(), password);
			if (event.getThrowableProxy() != null) {
				assertNoPartOfPasswordIn(event.getThrowableProxy().getMessage(), password);
			}
		}
	}

	/** Neither the password nor any piece of it between reserved characters or escapes. */
	private static void assertNoPartOfPasswordIn(String text, String password) {
		for (String part : password.split("%[0-9A-Fa-f]{2}|[#/?@:+;=,]")) {
			if (part.length() >= 4) {
				assertThat(text).as("text holding no part of " + password).doesNotContain(part);
			}
		}
		assertThat(text).doesNotContain(password);
	}

	private static void assertNoPartOf(String password, Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			assertNoPartOfPasswordIn(String.valueOf(t.getMessage()), password);
			assertNoPartOfPasswordIn(t.toString(), password);
		}
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
