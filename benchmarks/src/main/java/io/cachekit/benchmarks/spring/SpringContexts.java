package io.cachekit.benchmarks.spring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.SpringCacheConfigurations;
import io.cachekit.benchmarks.support.RedisEndpoint;

/**
 * Minimal Spring Boot applications (no web server) for the {@code @Cacheable} and outage
 * scenarios, booted with Boot's own auto-configuration:
 * <ul>
 * <li>{@link #springRedis}: Boot's {@code RedisCacheManager} ({@code spring.cache.type=redis}) on
 * Boot's {@code LettuceConnectionFactory}, every setting at Boot's default except the value
 * serializer, which is {@code GenericJacksonJsonRedisSerializer} (Boot's default is JDK
 * serialization) so that both sides store JSON. CacheKit's auto-configurations, if on the class
 * path, are excluded.</li>
 * <li>{@link #cacheKit}: the same application with {@code cache-spring-boot-starter}'s
 * auto-configuration ({@code app.cache.redis-url}) supplying the {@code CacheManager}.</li>
 * </ul>
 */
public final class SpringContexts {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	private SpringContexts() {
	}

	/** The application: {@code @EnableCaching} and one cached service. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	public static class CachingApp {

		@Bean
		ProductService productService() {
			return new ProductService();
		}

	}

	/** Spring's side: JSON values instead of Boot's default JDK serialization, Boot's defaults otherwise. */
	@Configuration(proxyBeanMethods = false)
	public static class SpringJsonValues {

		@Bean
		RedisCacheConfiguration redisCacheConfiguration() {
			return SpringCacheConfigurations.json(BenchCache.TTL);
		}

	}

	/**
	 * Boot's Redis cache on {@code port}; {@code extra} adds properties (such as
	 * {@code spring.data.redis.timeout}).
	 */
	public static ConfigurableApplicationContext springRedis(int port, Map<String, Object> extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.cache.type", "redis");
		properties.put("spring.data.redis.host", RedisEndpoint.HOST);
		properties.put("spring.data.redis.port", port);
		List<String> cacheKit = cacheKitAutoConfigurations();
		if (!cacheKit.isEmpty()) {
			properties.put("spring.autoconfigure.exclude", String.join(",", cacheKit));
		}
		properties.putAll(extra);
		return run(properties, CachingApp.class, SpringJsonValues.class);
	}

	/**
	 * The application with CacheKit's starter on {@code redisUrl}.
	 * @throws IllegalStateException when {@code cache-spring-boot-starter} is not on the class path
	 */
	public static ConfigurableApplicationContext cacheKit(String redisUrl) {
		if (!cacheKitStarterPresent()) {
			throw new IllegalStateException("cache-spring-boot-starter is not on the class path (no io.cachekit "
					+ "auto-configuration in " + IMPORTS + "): build it before the benchmarks");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("app.cache.redis-url", redisUrl);
		// Product lives in io.cachekit.benchmarks.support, which the JSON serializer must trust.
		properties.put("app.cache.json.trusted-packages", "io.cachekit.benchmarks");
		properties.put("app.cache.default-ttl", BenchCache.TTL.toString());
		return run(properties, CachingApp.class);
	}

	/** Whether some jar on the class path registers an {@code io.cachekit} auto-configuration. */
	public static boolean cacheKitStarterPresent() {
		return !cacheKitAutoConfigurations().isEmpty();
	}

	static List<String> cacheKitAutoConfigurations() {
		List<String> found = new ArrayList<>();
		try {
			Enumeration<URL> resources = SpringContexts.class.getClassLoader().getResources(IMPORTS);
			while (resources.hasMoreElements()) {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(resources.nextElement().openStream(), StandardCharsets.UTF_8))) {
					reader.lines()
						.map(String::strip)
						.filter((line) -> line.startsWith("io.cachekit."))
						.forEach(found::add);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	private static ConfigurableApplicationContext run(Map<String, Object> properties, Class<?>... sources) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("logging.level.root", "WARN");
		all.put("spring.main.banner-mode", "off");
		all.putAll(properties);
		return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(all)
			.run();
	}

}
