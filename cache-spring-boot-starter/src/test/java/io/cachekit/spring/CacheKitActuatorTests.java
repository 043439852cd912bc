package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.cachekit.test.RedisExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A web application with Actuator against a password-protected Redis: health, metrics, the caches
 * endpoint, and no password anywhere a person could read it.
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheKitActuatorTests {

	private static final String PASSWORD = "actuator-Secret-77";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ConfigurableApplicationContext context;

	private static String base;

	@BeforeAll
	static void start() {
		String url = "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.process().port();
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "app.cache.redis-url=" + url,
					// above a busy machine's slowest reply: a timed-out read is a miss (fail-open) and a timed-out
					// health probe DEGRADED, which would fail counts and statuses that are not about time
					"app.cache.timeout=3s", "management.endpoints.web.exposure.include=*",
					"management.endpoint.health.show-details=always", "management.endpoint.env.show-values=always",
					"management.endpoint.configprops.show-values=always", "logging.level.io.cachekit=DEBUG",
					// as in an application without Spring Data Redis (the starter does not bring it)
					"spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName())
			.run();
		base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		assertThat(response.body()).as(path).doesNotContain(PASSWORD);
		return json.readTree(response.body());
	}

	@Test
	void healthShowsTheCacheComponentWithoutThePassword() throws Exception {
		JsonNode health = getJson("/actuator/health");
		JsonNode component = health.path("components").path("cacheKit");
		assertThat(component.path("status").asString()).isEqualTo("UP");
		assertThat(component.path("details").path("version").asString()).matches("\\d+\\.\\d+.*");
		assertThat(component.path("details").path("target").asString()).contains("default:****@");
	}

	@Test
	void redisDownIsDegradedButTheApplicationStaysUp() throws Exception {
		redis.process().stop();
		try {
			JsonNode health = getJson("/actuator/health");
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.path("components").path("cacheKit").path("status").asString()).isEqualTo("DEGRADED");
			assertThat(context.getBean(Catalog.class).find("down")).isEqualTo("product down");
		}
		finally {
			redis.process().restart();
		}
	}

	@Test
	void cacheGetsCountHitsAndMissesAndCachesEndpointListsCaches() throws Exception {
		Catalog catalog = context.getBean(Catalog.class);
		double hits = count("hit");
		double misses = count("miss");
		catalog.find("m1");
		catalog.find("m1");
		catalog.find("m1");
		assertThat(count("miss")).isEqualTo(misses + 1);
		assertThat(count("hit")).isEqualTo(hits + 2);
		JsonNode caches = getJson("/actuator/caches");
		assertThat(caches.path("cacheManagers").path("cacheManager").path("caches").has("metered")).isTrue();
		// the native cache is a public API type (RedisCacheView, here observed), not a nested private class
		String target = caches.path("cacheManagers").path("cacheManager").path("caches").path("metered").path("target")
			.asString();
		assertThat(target).isIn("io.cachekit.redis.RedisCacheView", "io.cachekit.spring.observation.ObservedCacheBackend");
		assertThat(java.lang.reflect.Modifier.isPublic(Class.forName(target).getModifiers())).isTrue();
		assertThat(Class.forName(target).isMemberClass()).isFalse();
		assertThat(context.getBean(org.springframework.cache.CacheManager.class).getCache("metered"))
			.extracting((cache) -> ((io.cachekit.spring.CacheKitCache) cache).getNativeCache())
			.satisfies((store) -> {
				Object inner = (store instanceof io.cachekit.spring.observation.ObservedCacheBackend<?> observed)
						? observed.getDelegate() : store;
				assertThat(inner).isInstanceOf(io.cachekit.redis.RedisCacheView.class);
			});
		JsonNode operations = getJson("/actuator/metrics/cachekit.operations");
		assertThat(operations.path("availableTags").toString()).contains("operation", "outcome");
	}

	@Test
	void noPasswordInConfigpropsEnvOrLogs(CapturedOutput output) throws Exception {
		getJson("/actuator/configprops");
		getJson("/actuator/env");
		assertThat(getJson("/actuator/env/app.cache.redis-url").toString()).contains("default:****@");
		context.getBean(Catalog.class).find("log");
		assertThat(output.getAll()).doesNotContain(PASSWORD);
	}

	private static double count(String result) throws Exception {
		HttpResponse<String> response = get("/actuator/metrics/cache.gets?tag=cache:metered&tag=result:" + result);
		if (response.statusCode() == 404) {
			return 0;
		}
		return json.readTree(response.body()).path("measurements").get(0).path("value").asDouble();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class App {

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

	}

	static class Catalog {

		@Cacheable("metered")
		public String find(String id) {
			return "product " + id;
		}

	}

}
