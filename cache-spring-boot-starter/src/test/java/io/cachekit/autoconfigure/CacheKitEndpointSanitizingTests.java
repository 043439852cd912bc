package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/** What the actuator sanitizing function does to one property value. */
class CacheKitEndpointSanitizingTests {

	private static final PropertySource<?> SOURCE = new MapPropertySource("test", java.util.Map.of());

	private static Object sanitize(String key, Object value) {
		return CacheKitEndpointSanitizingAutoConfiguration.sanitize(new SanitizableData(SOURCE, key, value)).getValue();
	}

	@Test
	void masksUrlCredentialsWhateverTheKey() {
		assertThat(sanitize("sun.java.command",
				"com.example.App --app.cache.redis-url=redis://:Hash#Secr3t@h:6379 --spring.data.redis.url=redis://u:s3cret@h2"))
			.isEqualTo("com.example.App --app.cache.redis-url=redis://****@h:6379 --spring.data.redis.url=redis://u:****@h2");
		assertThat(sanitize("SPRING_APPLICATION_JSON", "{\"app\":{\"cache\":{\"redis-url\":\"redis://:s3cret@h\"}}}"))
			.isEqualTo("{\"app\":{\"cache\":{\"redis-url\":\"redis://:****@h\"}}}");
		assertThat(sanitize("spring.data.redis.url", "rediss://user:p@ss@h:6380")).isEqualTo("rediss://****@h:6380");
		assertThat(sanitize("foo.url", "https://alice:s3cret@example.com/x")).isEqualTo("https://alice:****@example.com/x");
	}

	@Test
	void masksCredentialsInAUrlsQueryString() {
		assertThat(sanitize("app.cache.redis-url", "redis://h:6379?password=s3cret")).isEqualTo("redis://h:6379?password=****");
		assertThat(sanitize("spring.data.redis.url", "redis://h:6379/0?user=app&password=s3cret&timeout=5s"))
			.isEqualTo("redis://h:6379/0?user=****&password=****&timeout=5s");
		assertThat(sanitize("app.cache.redis-url", "redis-sentinel://h1:26379,h2:26380?sentinelMasterId=m&password=s3cret"))
			.isEqualTo("redis-sentinel://h1:26379,h2:26380?sentinelMasterId=m&password=****");
		assertThat(sanitize("sun.java.command", "App --app.cache.redis-url=redis://h?username=app&password=s3cret --debug"))
			.isEqualTo("App --app.cache.redis-url=redis://h?username=****&password=**** --debug");
		assertThat(sanitize("foo.uri", URI.create("redis://h?password=s3cret"))).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void masksTheWholeValueWhenItsUrlsCannotBeDelimited() {
		assertThat(sanitize("foo.command", "--a=redis://:s3 cret://x@h")).isEqualTo("****");
		assertThat(sanitize("foo.uri", URI.create("https://alice:s3cret@example.com/")))
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("foo.urls", List.of("redis://:s3cret@h"))).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void masksPasswordProperties() {
		assertThat(sanitize("app.cache.redis-options.sentinel-password", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(sanitize("spring.data.redis.password", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void leavesValuesWithoutCredentialsAsTheyAre() {
		assertThat(sanitize("app.cache.redis-url", "redis://127.0.0.1:6379/0")).isEqualTo("redis://127.0.0.1:6379/0");
		assertThat(sanitize("spring.mail.username", "joe@example.com")).isEqualTo("joe@example.com");
		assertThat(sanitize("server.port", 8080)).isEqualTo(8080);
		assertThat(sanitize("java.class.path", "/a.jar:/b.jar")).isEqualTo("/a.jar:/b.jar");
	}

}
