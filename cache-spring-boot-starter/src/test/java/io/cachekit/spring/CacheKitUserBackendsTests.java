package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.autoconfigure.health.CacheKitHealthContributorAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/** The bridge, health and lifecycle with CacheBackend beans of the application's own. */
class CacheKitUserBackendsTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, CacheKitHealthContributorAutoConfiguration.class))
		.withPropertyValues("app.cache.json.trusted-packages=io.cachekit.spring");

	@BeforeEach
	@AfterEach
	void clean() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
	}

	@Test
	void aDecoratorBackendServesTheBridgeAndHasHealth() {
		this.contextRunner.withUserConfiguration(DecoratorConfiguration.class).run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(CacheKitCacheManager.class);
			Lookups lookups = context.getBean(Lookups.class);
			assertThat(lookups.find("p1")).isEqualTo("product p1");
			assertThat(lookups.find("p1")).isEqualTo("product p1");
			assertThat(lookups.loads()).isEqualTo(1);
			assertThat(lookups.nothing("n")).isNull();
			assertThat(lookups.nothing("n")).isNull();
			assertThat(lookups.nullLoads()).as("a null cached through the decorator").isEqualTo(1);
			assertThat(Resp.call("127.0.0.1", redis.process().port(), "EXISTS", "dec:products::p1")).isEqualTo(1L);
			assertThat(context.getBean(DecoratorConfiguration.class).calls).contains("get", "set");
			HealthContributor health = context.getBean("cacheKitHealthContributor", HealthContributor.class);
			assertThat(((HealthIndicator) health).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void severalBackendsEachGetHealthAndAreStartedAndStopped() {
		this.contextRunner.withUserConfiguration(TwoBackendsConfiguration.class).run((context) -> {
			RedisCacheBackend<?> first = context.getBean("first", RedisCacheBackend.class);
			RedisCacheBackend<?> second = context.getBean("second", RedisCacheBackend.class);
			assertThat(first.isRunning()).isTrue();
			assertThat(second.isRunning()).isTrue();
			HealthContributor health = context.getBean("cacheKitHealthContributor", HealthContributor.class);
			assertThat(health).isInstanceOf(CompositeHealthContributor.class);
			CompositeHealthContributor composite = (CompositeHealthContributor) health;
			for (String name : List.of("first", "second")) {
				assertThat(((HealthIndicator) composite.getContributor(name)).health().getStatus()).as(name)
					.isEqualTo(Status.UP);
			}
			context.close();
			assertThat(first.isRunning()).as("stopped by the lifecycle").isFalse();
			assertThat(second.isRunning()).as("stopped by the lifecycle").isFalse();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class DecoratorConfiguration {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@SuppressWarnings("unchecked")
		CacheBackend<Object> decorator() {
			// the backend it wraps is no bean: only reachable through the decorator, closed with it
			RedisCacheBackend<Object> delegate = RedisCacheBackend.builder(redis.url()).prefix("dec:").build();
			delegate.initialize();
			return (CacheBackend<Object>) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { CacheBackend.class, AutoCloseable.class }, (proxy, method, args) -> {
						this.calls.add(method.getName());
						try {
							return method.invoke(delegate, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

		@Bean
		Lookups lookups() {
			return new Lookups();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoBackendsConfiguration {

		@Bean
		RedisCacheBackend<Object> first() {
			return RedisCacheBackend.builder(redis.url()).prefix("first:").build();
		}

		@Bean
		RedisCacheBackend<Object> second() {
			return RedisCacheBackend.builder(redis.url()).prefix("second:").build();
		}

	}

	static class Lookups {

		final AtomicInteger loads = new AtomicInteger();

		final AtomicInteger nullLoads = new AtomicInteger();

		/** Through methods: the caching proxy has no state of its own. */
		public int loads() {
			return this.loads.get();
		}

		public int nullLoads() {
			return this.nullLoads.get();
		}

		@Cacheable("products")
		public String find(String id) {
			this.loads.incrementAndGet();
			return "product " + id;
		}

		@Cacheable("nothing")
		public String nothing(String id) {
			this.nullLoads.incrementAndGet();
			return null;
		}

	}

}
