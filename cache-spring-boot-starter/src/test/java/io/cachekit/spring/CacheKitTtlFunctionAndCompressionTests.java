package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitBulkCachingAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.autoconfigure.InvalidCacheKitConfigurationException;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.TtlFunction;
import io.cachekit.spring.bulk.BulkCacheable;
import io.cachekit.test.RedisExtension;

/**
 * Per-entry TTL and compression through a real Spring context (issue 23, items 2 and 3): a
 * {@link TtlFunction} bean for the backend and every cache, a cache's own by
 * {@code app.cache.caches.<name>.ttl-function}, on {@code @Cacheable}, {@code sync = true} and
 * {@code @CachePut}; {@code app.cache.compression.*} and a cache's own compression, values stored
 * compressed above the threshold and read back. cache-test runs the same on the in-memory engine.
 */
class CacheKitTtlFunctionAndCompressionTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	final CacheEngineFixture engine = engine();

	final ApplicationContextRunner contextRunner = this.engine.apply(new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class, CacheKitBulkCachingAutoConfiguration.class))
		.withUserConfiguration(Configured.class))
		// the command timeout is not what these tests are about: generous, so a busy machine drops no write
		.withPropertyValues("app.cache.prefix=tf:", "app.cache.timeout=5s", "app.cache.caches.tokens.ttl-function=tokenTtl",
				"app.cache.caches.fallback.ttl=90s");

	CacheEngineFixture engine() {
		return CacheEngineFixture.redis(redis);
	}

	@BeforeEach
	@AfterEach
	void clean() {
		this.engine.call("FLUSHALL");
	}

	private long pttl(String key) {
		return (Long) this.engine.call("PTTL", key);
	}

	private static void assertSeconds(long pttl, long seconds) {
		assertThat(pttl).isBetween(seconds * 1000 - 30_000, seconds * 1000);
	}

	@Test
	void theTtlFunctionBeanAnswersEveryCachesTtl() {
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			service.find("a", 120);
			service.findSync("b", 300);
			service.update("c", 200);
			service.find("d", 0);
			assertSeconds(pttl("tf:products::a"), 120);
			assertSeconds(pttl("tf:synced::b"), 300);
			assertSeconds(pttl("tf:products::c"), 200);
			assertThat(pttl("tf:products::d")).as("ZERO: no expiry").isEqualTo(-1);
			// cached: the method ran once
			service.find("a", 120);
			service.findSync("b", 300);
			assertThat(service.loads()).hasValue(3);
		});
	}

	@Test
	void aNullAnswerFallsBackToTheCachesTtlThenTheDefault() {
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			service.fallback("a");
			service.fallback("long");
			service.find("plain", -1);
			assertSeconds(pttl("tf:fallback::a"), 90);
			assertThat(pttl("tf:fallback::long")).as("the function wins over the cache's ttl")
				.isBetween(120_000L - 30_000, 120_000L);
			assertSeconds(pttl("tf:products::plain"), 3600);
		});
	}

	@Test
	void bulkWritesAskTheFunctionAsSingleWritesDo() {
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			assertThat(service.fallbacks(List.of("long", "a"))).containsOnlyKeys("long", "a");
			assertThat(pttl("tf:fallback::long")).as("the function's answer, not the cache's ttl")
				.isBetween(120_000L - 30_000, 120_000L);
			assertSeconds(pttl("tf:fallback::a"), 90);
		});
	}

	@Test
	void aCachesOwnFunctionIsAskedWithTheKeyWithinTheCache() {
		this.contextRunner.run((context) -> {
			Service service = context.getBean(Service.class);
			service.token("short-1");
			service.token("long-1");
			assertSeconds(pttl("tf:tokens::short-1"), 30);
			assertSeconds(pttl("tf:tokens::long-1"), 600);
			assertThat(context.getBean(Configured.class).keysSeen).contains("short-1", "long-1");
		});
	}

	@Test
	void theBackendBeanTakesTheFunctionToo() {
		this.contextRunner.run((context) -> {
			@SuppressWarnings("unchecked")
			CacheBackend<Object> backend = context.getBean(CacheBackend.class);
			backend.set("raw", "ttl=150;raw");
			assertSeconds(pttl("tf:raw"), 150);
		});
	}

	@Test
	void aCacheNamingAMissingBeanFailsAtStartUp() {
		this.contextRunner.withPropertyValues("app.cache.caches.tokens.ttl-function=nowhere")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidCacheKitConfigurationException.class)
				.hasMessageContaining("app.cache.caches.tokens.ttl-function")
				.hasMessageContaining("nowhere"));
	}

	@Test
	void compressedValuesAreStoredAboveTheThresholdAndReadBack() {
		this.contextRunner
			.withPropertyValues("app.cache.compression.algorithm=lz4", "app.cache.compression.threshold=1KB",
					"app.cache.caches.synced.compression.algorithm=zstd", "app.cache.caches.fallback.compression.algorithm=none")
			.run((context) -> {
				Service service = context.getBean(Service.class);
				String large = service.large("l");
				service.findSync("big", 7000);
				service.fallback("x");
				service.find("small", 120);
				assertThat((String) this.engine.call("GET", "tf:products::l")).startsWith("\u0000CKZ\u0001");
				assertThat((String) this.engine.call("GET", "tf:synced::big")).startsWith("\u0000CKZ\u0002");
				assertThat((String) this.engine.call("GET", "tf:products::small")).as("under the threshold")
					.doesNotStartWith("\u0000CKZ");
				assertThat((String) this.engine.call("GET", "tf:fallback::x")).as("the cache's own: none")
					.doesNotStartWith("\u0000CKZ");
				assertThat(service.large("l")).isEqualTo(large);
				assertThat(service.findSync("big", 7000)).hasSize(7000 + 11);
				assertThat(service.loads()).hasValue(2);
				assertThat(service.larges()).hasValue(1);
			});
	}

	@Test
	void switchingCompressionOnReadsThePlainValuesStoredBefore() {
		this.contextRunner.run((context) -> context.getBean(Service.class).large("l"));
		this.contextRunner.withPropertyValues("app.cache.compression.algorithm=zstd", "app.cache.compression.threshold=0B")
			.run((context) -> {
				Service service = context.getBean(Service.class);
				service.large("l");
				assertThat(service.larges()).as("the plain value was read: no load").hasValue(0);
			});
	}

	@Test
	void aBadThresholdFailsAtStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("app.cache.compression.algorithm=lz4", "app.cache.compression.threshold=-1B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.cache.compression.threshold"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Configured {

		final List<String> keysSeen = new CopyOnWriteArrayList<>();

		@Bean
		Service service() {
			return new Service();
		}

		/** "ttl=N..." lives N seconds (0: no expiry); anything else: null, the fallback. */
		@Bean
		TtlFunction defaultTtlFunction() {
			return (key, value) -> {
				String text = value.toString();
				if (!text.startsWith("ttl=")) {
					return null;
				}
				long seconds = Long.parseLong(text.substring(4, text.indexOf(';')));
				return (seconds < 0) ? null : Duration.ofSeconds(seconds);
			};
		}

		@Bean
		TtlFunction tokenTtl() {
			return (key, value) -> {
				this.keysSeen.add(key);
				return key.startsWith("short") ? Duration.ofSeconds(30) : Duration.ofSeconds(600);
			};
		}

	}

	static class Service {

		final AtomicInteger loads = new AtomicInteger();

		final AtomicInteger larges = new AtomicInteger();

		/** Through a method: the caching proxy has no state of its own. */
		public AtomicInteger loads() {
			return this.loads;
		}

		/** Through a method: the caching proxy has no state of its own. */
		public AtomicInteger larges() {
			return this.larges;
		}

		@Cacheable(cacheNames = "products", key = "#id")
		public String find(String id, long seconds) {
			this.loads.incrementAndGet();
			return (seconds < 0) ? "plain;" + id : "ttl=" + seconds + ";" + id;
		}

		@Cacheable(cacheNames = "synced", key = "#id", sync = true)
		public String findSync(String id, long seconds) {
			this.loads.incrementAndGet();
			String value = "ttl=" + seconds + ";" + id;
			return (seconds > 1000) ? value + "x".repeat(7000 + 11 - value.length()) : value;
		}

		@CachePut(cacheNames = "products", key = "#id")
		public String update(String id, long seconds) {
			return "ttl=" + seconds + ";" + id;
		}

		@Cacheable("fallback")
		public String fallback(String id) {
			return id.equals("long") ? "ttl=120;" + id : "no ttl;" + id;
		}

		@BulkCacheable("fallback")
		public Map<String, String> fallbacks(List<String> ids) {
			Map<String, String> found = new LinkedHashMap<>();
			ids.forEach((id) -> found.put(id, fallback(id)));
			return found;
		}

		@Cacheable("tokens")
		public String token(String id) {
			return "token;" + id;
		}

		@Cacheable("products")
		public String large(String id) {
			this.larges.incrementAndGet();
			return "ttl=600;" + "{\"name\":\"a product\",\"price\":12},".repeat(200);
		}

	}

}
