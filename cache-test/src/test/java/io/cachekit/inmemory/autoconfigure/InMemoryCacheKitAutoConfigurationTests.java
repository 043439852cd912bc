package io.cachekit.inmemory.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.internal.NamedSerializers;
import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.inmemory.InMemoryStore;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitCacheManager;

class InMemoryCacheKitAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(InMemoryCacheKitAutoConfiguration.class,
				CacheKitAutoConfiguration.class,
				CacheKitCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		// nothing listens here: a context that tried Redis would say so in its log, not hang
		.withPropertyValues("app.cache.redis-url=redis://127.0.0.1:1", "app.cache.connect-timeout=100ms");

	@Test
	void inMemoryPropertyReplacesTheRedisBackend() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true").run((context) -> {
			assertThat(context).hasSingleBean(CacheBackend.class)
				.hasSingleBean(InMemoryCacheBackend.class)
				.doesNotHaveBean(RedisCacheBackend.class);
			@SuppressWarnings("unchecked")
			CacheBackend<Object> cache = context.getBean(CacheBackend.class);
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(cache.get("k")).contains("v");
		});
	}

	@Test
	void withoutThePropertyTheStarterConfiguresRedis() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisCacheBackend.class)
			.doesNotHaveBean(InMemoryCacheBackend.class));
	}

	@Test
	void appCachePropertiesAreApplied() {
		this.contextRunner
			.withPropertyValues("app.cache.in-memory=true", "app.cache.prefix=shop:", "app.cache.default-ttl=90s",
					"app.cache.failure-mode=fail-fast", "app.cache.serializer=string")
			.run((context) -> {
				InMemoryCacheBackend<?> backend = context.getBean(InMemoryCacheBackend.class);
				assertThat(backend.getPrefix()).isEqualTo("shop:");
				assertThat(backend.getDefaultTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(backend.getFailureMode()).isEqualTo(FailureMode.FAIL_FAST);
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				cache.set("k", "plain");
				InMemoryStore store = backend.store();
				assertThat(store.getBytes("shop:k")).hasValueSatisfying(
						(bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("plain"));
				assertThat(store.ttl("shop:k")).hasValueSatisfying(
						(ttl) -> assertThat(ttl).isBetween(Duration.ofSeconds(89), Duration.ofSeconds(90)));
			});
	}

	@Test
	void aSerializerBeanIsUsed() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true")
			.withUserConfiguration(UserSerializerConfiguration.class)
			.run((context) -> {
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				cache.set("k", "raw");
				assertThat(context.getBean(InMemoryCacheBackend.class).store().getBytes("cache:k"))
					.hasValueSatisfying((bytes) -> assertThat(bytes).isEqualTo("raw".getBytes(StandardCharsets.UTF_8)));
			});
	}

	@Test
	void appCacheEnabledFalseTurnsItOffToo() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true", "app.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheBackend.class));
	}

	@Test
	void aUserBackendWins() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true")
			.withUserConfiguration(UserBackendConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheBackend.class);
				InMemoryCacheBackend<?> backend = context.getBean(InMemoryCacheBackend.class);
				assertThat(backend.getPrefix()).isEqualTo("mine:");
			});
	}

	@Test
	void cachingUsesTheInMemoryStoreWithPerCacheSettings() {
		this.contextRunner
			.withPropertyValues("app.cache.in-memory=true", "app.cache.caches.products.ttl=10m")
			.withUserConfiguration(CachingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheKitCacheManager.class);
				Cache products = context.getBean(CacheManager.class).getCache("products");
				products.put("p1", "Lamp");
				assertThat(products.get("p1", String.class)).isEqualTo("Lamp");
				InMemoryStore store = context.getBean(InMemoryCacheBackend.class).store();
				assertThat(store.keys()).containsExactly("cache:products::p1");
				assertThat(store.ttl("cache:products::p1")).hasValueSatisfying(
						(ttl) -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
			});
	}

	@Test
	void cachingBridgesAnInMemoryBackendOfTheApplicationsOwnToo() {
		this.contextRunner.withUserConfiguration(UserBackendConfiguration.class, CachingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheKitCacheManager.class).doesNotHaveBean(RedisCacheBackend.class);
				context.getBean(CacheManager.class).getCache("products").put("p1", "Lamp");
				assertThat(context.getBean(InMemoryCacheBackend.class).store().keys()).containsExactly("mine:products::p1");
			});
	}

	@Test
	void springCacheTypeNoneMeansNoCaching() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true", "spring.cache.type=none")
			.withUserConfiguration(CachingConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(InMemoryCacheBackend.class)
				.getBean(CacheManager.class)
				.isInstanceOf(NoOpCacheManager.class));
	}

	@Test
	void aCacheManagerOfTheApplicationsOwnWins() {
		this.contextRunner.withPropertyValues("app.cache.in-memory=true")
			.withUserConfiguration(CachingConfiguration.class)
			.withBean("cacheManager", CacheManager.class, NoOpCacheManager::new)
			.run((context) -> assertThat(context).doesNotHaveBean(CacheKitCacheManager.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		InMemoryCacheBackend<Object> myBackend() {
			return InMemoryCacheBackend.builder().prefix("mine:").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSerializerConfiguration {

		@Bean
		CacheSerializer<Object> customSerializer() {
			return NamedSerializers.named("string", List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
