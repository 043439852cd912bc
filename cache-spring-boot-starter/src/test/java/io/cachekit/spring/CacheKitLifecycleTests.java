package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/** Start, stop, and an application that starts while Redis is down. */
class CacheKitLifecycleTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("app.cache.redis-url=" + redis.url(), "spring.main.banner-mode=off",
					// as in an application without Spring Data Redis (the starter does not bring it)
					"spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName())
			.properties(properties)
			.run();
	}

	@Test
	void startConnectsAndCloseLeavesNoLettuceThreads() throws InterruptedException {
		Set<String> before = lettuceThreads();
		RedisCacheBackend<?> backend;
		try (ConfigurableApplicationContext context = start()) {
			backend = context.getBean(RedisCacheBackend.class);
			assertThat(backend.isRunning()).isTrue();
			assertThat(backend.diagnostics().isConnected()).isTrue();
			assertThat(backend.ping()).isTrue();
			assertThat(lettuceThreads()).as("Lettuce threads while running").isNotEqualTo(before);
		}
		assertThat(backend.isRunning()).isFalse();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Set<String> left = lettuceThreads();
		left.removeAll(before);
		while (!left.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
			left = lettuceThreads();
			left.removeAll(before);
		}
		assertThat(left).as("Lettuce threads left after close").isEmpty();
	}

	@Test
	void startAndStopAreIdempotent() {
		try (ConfigurableApplicationContext context = start()) {
			CacheKitLifecycle lifecycle = context.getBean(CacheKitLifecycle.class);
			RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
			lifecycle.start();
			assertThat(backend.diagnostics().isConnected()).isTrue();
			lifecycle.stop();
			lifecycle.stop();
			assertThat(lifecycle.isRunning()).isFalse();
			assertThat(backend.isRunning()).isFalse();
			lifecycle.start();
			assertThat(backend.ping()).isTrue();
		}
	}

	@Test
	void applicationStartedWithRedisDownServesAndStartsCachingWhenRedisComesUp() throws InterruptedException {
		redis.process().stop();
		try (ConfigurableApplicationContext context = start("app.cache.connect-timeout=300ms")) {
			Greeter greeter = context.getBean(Greeter.class);
			assertThat(greeter.greet("ada")).isEqualTo("hello ada");
			assertThat(greeter.greet("ada")).isEqualTo("hello ada");
			assertThat(greeter.calls()).as("no cache while Redis is down, but no failure either").isEqualTo(2);
			redis.process().restart();
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			boolean cached = false;
			while (!cached && System.nanoTime() < deadline) {
				int before = greeter.calls();
				greeter.greet("grace");
				greeter.greet("grace");
				cached = greeter.calls() == before + 1;
				if (!cached) {
					Thread.sleep(100);
				}
			}
			assertThat(cached).as("caching resumed without a restart").isTrue();
		}
		finally {
			redis.process().restart();
		}
	}

	@Test
	void aBeanMayWarmTheCacheBeforeTheLifecycleStarts() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class, Warmer.class)
			.web(WebApplicationType.NONE)
			.properties("app.cache.redis-url=" + redis.url(), "spring.main.banner-mode=off",
					"spring.autoconfigure.exclude=" + DataRedisAutoConfiguration.class.getName())
			.run()) {
			Warmer warmer = context.getBean(Warmer.class);
			assertThat(warmer.stored).as("set() from afterPropertiesSet(), before the SmartLifecycle started").isTrue();
			RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
			assertThat(backend.get("warm:greeting").map(Object::toString)).contains("hello");
		}
	}

	private static Set<String> lettuceThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("lettuce-"))
			.collect(Collectors.toSet());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class App {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	/** Warms the cache while the context is still being refreshed, as users do in @PostConstruct. */
	static class Warmer implements org.springframework.beans.factory.InitializingBean {

		private final io.cachekit.core.CacheBackend<Object> cache;

		boolean stored;

		Warmer(io.cachekit.core.CacheBackend<Object> cache) {
			this.cache = cache;
		}

		@Override
		public void afterPropertiesSet() {
			this.stored = this.cache.set("warm:greeting", "hello");
		}

	}

	static class Greeter {

		private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

		@org.springframework.cache.annotation.Cacheable("greetings")
		public String greet(String name) {
			this.calls.incrementAndGet();
			return "hello " + name;
		}

		public int calls() {
			return this.calls.get();
		}

	}

}
