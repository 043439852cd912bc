package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.RedisProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A password with every character reserved in URLs, percent-encoded, given in each way an
 * application may give it, authenticates, and shows nowhere in {@code /actuator/env},
 * {@code /actuator/configprops}, {@code /actuator/health}, the log, or a start-up failure report,
 * even with every value shown ({@code show-values=always}, {@code show-details=always}).
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheKitCredentialsExposureTests {

	private static final String PASSWORD = "Hash1#Slash2/Query3?At4@Secret5";

	private static final String ENCODED = "Hash1%23Slash2%2FQuery3%3FAt4%40Secret5";

	/** Every piece of the password between reserved characters: none may show, encoded or not. */
	private static final List<String> PIECES = List.of("Hash1", "Slash2", "Query3", "Secret5");

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static String url() {
		return "redis://default:" + ENCODED + "@127.0.0.1:" + redis.process().port();
	}

	/** The ways an application hands CacheKit (or Spring Data Redis) the URL. */
	enum Source {

		/** {@code app.cache.redis-url} in the application's properties. */
		PROPERTY,

		/** {@code --app.cache.redis-url=...} on the command line, hence in {@code sun.java.command}. */
		COMMAND_LINE,

		/** {@code SPRING_APPLICATION_JSON='{"app":{"cache":{"redis-url":"..."}}}'}. */
		APPLICATION_JSON,

		/** {@code spring.data.redis.url}, CacheKit connecting where Spring Data Redis does. */
		SPRING_DATA_REDIS_URL

	}

	@ParameterizedTest
	@EnumSource(Source.class)
	void noSecretInEnvConfigpropsHealthOrLogs(Source source, CapturedOutput output) throws Exception {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"app.cache.timeout=500ms", "management.endpoints.web.exposure.include=*",
				"management.endpoint.health.show-details=always", "management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always", "logging.level.io.cachekit=DEBUG"));
		String[] args = new String[0];
		String javaCommand = System.getProperty("sun.java.command");
		switch (source) {
			case PROPERTY -> properties.add("app.cache.redis-url=" + url());
			case COMMAND_LINE -> {
				args = new String[] { "--app.cache.redis-url=" + url(), "--app.cache.prefix=cl:" };
				System.setProperty("sun.java.command", App.class.getName() + " " + String.join(" ", args));
			}
			case APPLICATION_JSON -> properties
				.add("SPRING_APPLICATION_JSON={\"app\":{\"cache\":{\"redis-url\":\"" + url() + "\",\"prefix\":\"j:\"}}}");
			case SPRING_DATA_REDIS_URL -> properties.add("spring.data.redis.url=" + url());
		}
		if (source != Source.SPRING_DATA_REDIS_URL) {
			properties.add("spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName());
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties.toArray(String[]::new))
			.run(args)) {
			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			JsonNode health = getJson(base + "/actuator/health");
			// the percent-encoded password authenticated
			assertThat(health.path("components").path("cacheKit").path("status").asString()).isEqualTo("UP");
			assertThat(health.path("components").path("cacheKit").path("details").path("target").asString())
				.contains("default:****@127.0.0.1:");
			String env = getJson(base + "/actuator/env").toString();
			getJson(base + "/actuator/configprops");
			switch (source) {
				case COMMAND_LINE -> assertThat(getJson(base + "/actuator/env/sun.java.command").toString())
					.contains("--app.cache.redis-url=redis://default:****@127.0.0.1:");
				case APPLICATION_JSON -> assertThat(env).contains("SPRING_APPLICATION_JSON")
					.contains("redis://default:****@127.0.0.1:");
				case SPRING_DATA_REDIS_URL -> assertThat(getJson(base + "/actuator/env/spring.data.redis.url").toString())
					.contains("redis://default:****@127.0.0.1:");
				default -> assertThat(getJson(base + "/actuator/env/app.cache.redis-url").toString())
					.contains("redis://default:****@127.0.0.1:");
			}
		}
		finally {
			if (javaCommand != null) {
				System.setProperty("sun.java.command", javaCommand);
			}
			else {
				System.clearProperty("sun.java.command");
			}
		}
		assertNoSecretIn(output.getAll());
	}

	@Test
	void reservedCharactersInTheUrlFailStartUpWithAReportThatShowsNoSecret(CapturedOutput output) {
		String raw = "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.process().port();
		FailureAnalysis analysis = failStartUp(output, "app.cache.redis-url=" + raw);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("'app.cache.redis-url' is invalid", "%23", "%2F", "%3F", "%40",
				"'redis://****@127.0.0.1:");
	}

	@Test
	void reservedCharactersInSpringDataRedisUrlFailStartUpShowingNoSecret(CapturedOutput output) {
		// java.net.URI, with which Spring Boot parses it, finds no host: Spring Data Redis refuses that
		String raw = "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.process().port();
		failStartUp(output, "spring.data.redis.url=" + raw);
	}

	@Test
	void springDataRedisUrlThatSpringBootCannotParseIsReportedWithoutSecret(CapturedOutput output) {
		// a space: java.net.URI refuses the URL, and Spring Boot's own report would quote it whole
		String raw = "redis://default:Hash1 Secret5@127.0.0.1:" + redis.process().port();
		SpringApplication application = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.data.redis.url=" + raw)
			.build();
		Throwable failure = catchThrowable(application::run);
		assertThat(failure).isNotNull();
		// Spring Boot's exception quotes the URL, but is reported (and logged) only through the analysis
		FailureAnalysis analysis = analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("spring.data.redis.url", "redis://****@127.0.0.1:");
		assertNoSecretIn(analysis.getDescription());
		assertNoSecretIn(analysis.getAction());
		// the report logged; not the whole output: Spring's "cancelling refresh attempt" WARN quotes
		// Spring Boot's exception message, URL and all, and neither is ours to change
		String all = output.getAll();
		int report = all.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(report).isNotNegative();
		String logged = all.substring(report, all.indexOf("\n\n", all.indexOf("Action:", report) + 9));
		assertThat(logged).contains("redis://****@127.0.0.1:");
		assertNoSecretIn(logged);
	}

	@Test
	void connectionFailureReportShowsNoSecret(CapturedOutput output) {
		String down = "redis://default:" + ENCODED + "@127.0.0.1:" + RedisProcess.freePort();
		FailureAnalysis analysis = failStartUp(output, "app.cache.redis-url=" + down, "app.cache.failure-mode=fail-fast",
				"app.cache.connect-timeout=300ms");
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("could not connect", "redis://default:****@127.0.0.1:");
	}

	/**
	 * Starts an application that must fail, checks that no piece of the password is in any message
	 * of the failure, its analysis or the output, and answers the analysis, if any.
	 */
	private static FailureAnalysis failStartUp(CapturedOutput output, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		if (!properties[0].startsWith("spring.data.redis")) {
			all.add("spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName());
		}
		SpringApplication application = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.build();
		Throwable failure = catchThrowable(application::run);
		assertThat(failure).isNotNull();
		for (Throwable t = failure; t != null; t = t.getCause()) {
			assertNoSecretIn(String.valueOf(t.getMessage()));
		}
		FailureAnalysis analysis = analyze(failure);
		if (analysis != null) {
			assertNoSecretIn(analysis.getDescription());
			assertNoSecretIn(analysis.getAction());
		}
		assertNoSecretIn(output.getAll());
		return analysis;
	}

	/** The analysis Spring Boot would report: the first of the registered analyzers that has one. */
	private static FailureAnalysis analyze(Throwable failure) {
		for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
					SpringFactoriesLoader.FailureHandler.logging(org.apache.commons.logging.LogFactory.getLog("test")))) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
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
		for (String piece : PIECES) {
			assertThat(text).as("no piece of the password").doesNotContain(piece);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
