package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A password (and a user name) in a Redis URL's query string ({@code ?user=...&password=...})
 * shows nowhere: not in {@code /actuator/health}'s target, {@code /actuator/env},
 * {@code /actuator/configprops} (every value shown), nor the log, the start-up "connected" line
 * included. Lettuce ignores such parameters, so the URL authenticates through its user-info, whose
 * password is another one. Before the fix the query's values were shown as they are.
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheKitQueryCredentialsExposureTests {

	private static final String PASSWORD = "UserInfo-Pa55word";

	private static final String QUERY_SECRET = "Query-S3cret-41";

	private static final String QUERY_USER = "Query-Us3r-42";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static String url() {
		return "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.process().port() + "/0?user=" + QUERY_USER
				+ "&password=" + QUERY_SECRET;
	}

	@ParameterizedTest
	@ValueSource(strings = { "app.cache.redis-url", "spring.data.redis.url" })
	void noQueryCredentialInEnvConfigpropsHealthOrLogs(String property, CapturedOutput output) throws Exception {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"app.cache.timeout=500ms", "management.endpoints.web.exposure.include=*",
				"management.endpoint.health.show-details=always", "management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always", "logging.level.io.cachekit=DEBUG",
				property + "=" + url()));
		if (property.startsWith("app.")) {
			properties.add("spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName());
		}
		// Boot's logging system would reset logback and drop the appender: the test's logback stays
		String loggingSystem = System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Logger cacheKit = (Logger) LoggerFactory.getLogger(RedisCacheBackend.class);
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		logs.start();
		root.addAppender(logs);
		cacheKit.setLevel(Level.DEBUG);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties.toArray(String[]::new))
			.run()) {
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			JsonNode health = getJson(base + "/actuator/health").path("components").path("cacheKit");
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.path("details").path("target").asString()).contains("default:****@127.0.0.1:");
			assertThat(getJson(base + "/actuator/env/" + property).toString()).contains("?user=****&password=****");
			getJson(base + "/actuator/env");
			String configprops = getJson(base + "/actuator/configprops").toString();
			if (property.startsWith("app.")) {
				assertThat(configprops).contains("?user=****&password=****");
			}
		}
		finally {
			root.detachAppender(logs);
			cacheKit.setLevel(null);
			if (loggingSystem != null) {
				System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystem);
			}
			else {
				System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
			}
		}
		List<String> logged = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		// "CacheKit connected to ..." at start-up, or "Connected to ..." when a cold first connection
		// timed out and the background reconnect made it
		List<String> connected = logged.stream()
			.filter((line) -> line.matches("(CacheKit c|C)onnected to redis://default:\\*\\*\\*\\*@127\\.0\\.0\\.1:.*"))
			.toList();
		assertThat(connected).isNotEmpty();
		if (property.startsWith("app.")) {
			// with spring.data.redis.url the target is built from Boot's connection details, which keep no query
			assertThat(connected).allMatch((line) -> line.contains("?user=****&password=****"));
		}
		for (ILoggingEvent event : logs.list) {
			assertNoSecretIn(event.getFormattedMessage());
			if (event.getThrowableProxy() != null) {
				assertNoSecretIn(event.getThrowableProxy().getMessage());
			}
		}
		assertNoSecretIn(output.getAll());
	}

	private static JsonNode getJson(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(url).isEqualTo(200);
		assertNoSecretIn(response.body());
		return json.readTree(response.body());
	}

	private static void assertNoSecretIn(String text) {
		assertThat(text).doesNotContain(QUERY_SECRET).doesNotContain(QUERY_USER).doesNotContain(PASSWORD);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
