package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.health.CacheKitHealthContributorAutoConfiguration;
import io.cachekit.autoconfigure.metrics.CacheKitMetricsAutoConfiguration;
import io.cachekit.core.CacheBackend;
import io.cachekit.near.FlushCause;
import io.cachekit.near.NearCacheStats;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.test.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Near cache observability through a real Spring context on a real (password-protected) Redis:
 * {@code cache.gets} tells near hits of a cache with its own near cache, and the health component
 * shows every cache's own near cache next to the backend's.
 */
class CacheKitNearCacheObservabilityTests {

	private static final String PASSWORD = "near-Secret-41";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated("--requirepass", PASSWORD);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, CacheKitMetricsAutoConfiguration.class, CacheMetricsAutoConfiguration.class,
				CacheKitHealthContributorAutoConfiguration.class))
		.withUserConfiguration(DirectoryConfiguration.class)
		.withBean(SimpleMeterRegistry.class)
		// counts are asserted, not latency: a slow first connection on a loaded machine must not turn reads into misses
		.withPropertyValues("app.cache.redis-url=" + url(), "app.cache.prefix=near-obs:", "app.cache.timeout=5s",
				"app.cache.connect-timeout=5s");

	private static String url() {
		return "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.process().port();
	}

	@Test
	void cacheGetsCountNearHitsAsPartOfHitsOfACacheWithItsOwnNearCache() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.users.near-cache.enabled=true", "app.cache.caches.plain.ttl=60s")
			.run((context) -> {
				Directory directory = context.getBean(Directory.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				NearCacheStats near = context.getBean(CacheKitCacheManager.class).getNearCacheLayers().get("users").stats();
				directory.user("1");
				assertThat(gets(registry, "users", "miss")).isEqualTo(1);
				assertThat(gets(registry, "users", "hit")).isZero();
				assertThat(gets(registry, "users", "near-hit")).isZero();
				// the put dropped the key from the near cache: this hit is Redis', and the near cache keeps it
				directory.user("1");
				assertThat(gets(registry, "users", "hit")).isEqualTo(1);
				assertThat(gets(registry, "users", "near-hit")).isZero();
				// Redis' invalidation of the put may drop the value kept by that read: a later read keeps it
				int calls = 2;
				long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
				while (gets(registry, "users", "near-hit") == 0 && System.nanoTime() < deadline) {
					directory.user("1");
					calls++;
				}
				assertThat(gets(registry, "users", "near-hit")).isPositive().isEqualTo(near.hits());
				assertThat(gets(registry, "users", "hit")).as("near hits are hits").isEqualTo(calls - 1);
				assertThat(gets(registry, "users", "miss")).isEqualTo(1);
				assertThat(directory.runs()).isEqualTo(1);

				directory.plain("1");
				directory.plain("1");
				assertThat(gets(registry, "plain", "miss")).isEqualTo(1);
				assertThat(gets(registry, "plain", "hit")).isEqualTo(1);
				assertThat(registry.find("cache.gets").tag("cache", "plain").tag("result", "near-hit").meters())
					.as("a cache without a near cache has no near-hit").isEmpty();
				Set<Set<String>> tagKeys = registry.find("cache.gets").meters().stream()
					.map(CacheKitNearCacheObservabilityTests::tagKeys)
					.collect(Collectors.toSet());
				assertThat(tagKeys).as("every cache.gets has the same tag keys").singleElement()
					.satisfies((keys) -> assertThat(keys).contains("cache", "result"));
			});
	}

	@Test
	void nearHitsNeverExceedHits() {
		this.contextRunner.withPropertyValues("app.cache.caches.users.near-cache.enabled=true").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
			NearCacheStats near = manager.getNearCacheLayers().get("users").stats();
			// reads of the cache's store that bypass the bridge: near hits the bridge never counted
			@SuppressWarnings("unchecked")
			CacheBackend<Object> store = (CacheBackend<Object>) manager.getCache("users").getNativeCache();
			store.set("users::u", "Ada");
			eventually(() -> {
				store.get("users::u");
				return near.hits() > 1;
			});
			assertThat(gets(registry, "users", "hit")).isZero();
			assertThat(gets(registry, "users", "near-hit")).as("a part of hit").isZero();
		});
	}

	@Test
	void healthShowsEachCachesOwnNearCacheNextToTheBackends() {
		this.contextRunner
			.withPropertyValues("app.cache.near-cache.enabled=true", "app.cache.caches.users.near-cache.max-entries=3",
					"app.cache.caches.plain.near-cache.enabled=false")
			.run((context) -> {
				CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
				NearCacheStats near = manager.getNearCacheLayers().get("users").stats();
				Cache users = manager.getCache("users");
				users.put("u", "Ada");
				eventually(() -> {
					users.get("u");
					return near.hits() > 0;
				});
				for (int i = 0; i < 10; i++) {
					users.put("k" + i, "v" + i);
					users.get("k" + i);
				}
				manager.getCache("plain").put("p", "v");
				try (RedisClient client = RedisClient.create(url());
						StatefulRedisConnection<String, String> connection = client.connect()) {
					connection.sync().flushdb();
				}
				eventually(() -> near.flushes(FlushCause.SERVER_FLUSH) > 0);

				Health health = context.getBean("cacheKitHealthContributor", HealthIndicator.class).health(true);
				assertThat(health.getDetails()).containsKey("nearCache");
				@SuppressWarnings("unchecked")
				Map<String, Map<String, Object>> caches = (Map<String, Map<String, Object>>) health.getDetails()
					.get("nearCaches");
				assertThat(caches).containsOnlyKeys("users");
				Map<String, Object> own = caches.get("users");
				assertThat(own).containsOnlyKeys("size", "hits", "misses", "invalidations", "evictions", "flushes")
					.containsEntry("hits", near.hits())
					.containsEntry("misses", near.misses());
				assertThat((Long) own.get("size")).isBetween(0L, 3L);
				@SuppressWarnings("unchecked")
				Map<String, Long> flushes = (Map<String, Long>) own.get("flushes");
				assertThat(flushes)
					.containsOnlyKeys(java.util.Arrays.stream(FlushCause.values()).map(Enum::name).toArray(String[]::new))
					.containsEntry("SERVER_FLUSH", near.flushes(FlushCause.SERVER_FLUSH));
				assertThat(health.getDetails().toString()).doesNotContain(PASSWORD);
				assertThat(health.getDetails().get("nearCaches").toString()).doesNotContain("redis", "127.0.0.1");
			});
	}

	private static double gets(MeterRegistry registry, String cache, String result) {
		RequiredSearch search = registry.get("cache.gets").tag("cache", cache).tag("result", result);
		return search.functionCounter().count();
	}

	private static Set<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map((tag) -> tag.getKey()).collect(Collectors.toSet());
	}

	private static void eventually(BooleanSupplier condition) throws InterruptedException {
		// a deadline, not a bound under test: what it waits for (tracking acknowledged, an invalidation
		// pushed) takes milliseconds, and far longer only on a machine too busy to run this thread
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class DirectoryConfiguration {

		@Bean
		Directory directory() {
			return new Directory();
		}

	}

	static class Directory {

		private final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@Cacheable("users")
		public String user(String id) {
			this.runs.incrementAndGet();
			return "user " + id;
		}

		@Cacheable("plain")
		public String plain(String id) {
			return "plain " + id;
		}

	}

}
