package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.test.RedisExtension;

/**
 * The bridge through a real Spring context: annotations in, Redis keys out. cache-test runs the
 * same scenarios on the in-memory engine ({@link #engine()}).
 */
class CacheKitCachingTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	final CacheEngineFixture engine = engine();

	final ApplicationContextRunner contextRunner = this.engine.apply(new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class))
		.withPropertyValues("app.cache.prefix=it:",
				"app.cache.json.trusted-packages=io.cachekit.spring", "app.cache.caches.products.ttl=90s",
				"app.cache.caches.forever.ttl=0", "app.cache.caches.strict.cache-null-values=false",
				"app.cache.caches.typed.value-type=" + Product.class.getName());

	/**
	 * Where the caches live: this test's Redis.
	 * @return the engine
	 */
	CacheEngineFixture engine() {
		return CacheEngineFixture.redis(redis);
	}

	@BeforeEach
	@AfterEach
	void clean() {
		redis("FLUSHALL");
	}

	private Object redis(String... command) {
		return this.engine.call(command);
	}

	@Test
	void bridgeReplacesBootsCacheManagerWhenSpringCacheTypeIsUnset() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
			.getBean(CacheManager.class)
			.isInstanceOf(CacheKitCacheManager.class));
	}

	@Test
	void springCacheTypeNoneGivesBootsNoOpCacheManager() {
		this.contextRunner.withPropertyValues("spring.cache.type=none")
			.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
				.getBean(CacheManager.class)
				.isInstanceOf(org.springframework.cache.support.NoOpCacheManager.class));
	}

	@Test
	void springCacheTypeSimpleGivesBootsConcurrentMapCacheManager() {
		this.contextRunner.withPropertyValues("spring.cache.type=simple")
			.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
				.getBean(CacheManager.class)
				.isInstanceOf(org.springframework.cache.concurrent.ConcurrentMapCacheManager.class));
	}

	@Test
	void springCacheTypeRedisIsServedByTheBridge() {
		this.contextRunner.withPropertyValues("spring.cache.type=redis")
			.run((context) -> assertThat(context).hasSingleBean(CacheManager.class)
				.getBean(CacheManager.class)
				.isInstanceOf(CacheKitCacheManager.class));
	}

	@Test
	void userCacheManagerBacksOff() {
		this.contextRunner.withBean("cacheManager", CacheManager.class,
				org.springframework.cache.concurrent.ConcurrentMapCacheManager::new)
			.run((context) -> assertThat(context.getBean(CacheManager.class)).isNotInstanceOf(CacheKitCacheManager.class));
	}

	@Test
	void withoutEnableCachingThereIsNoCacheManager() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=" + redis.url())
			.run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class));
	}

	@Test
	void cacheableRunsTheMethodOnceAndStoresUnderTheNamespacedKey() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			Product first = catalog.find("p1");
			Product second = catalog.find("p1");
			assertThat(second).isEqualTo(first);
			assertThat(catalog.counts().loads.get()).isEqualTo(1);
			assertThat(redis("EXISTS", "it:products::p1")).isEqualTo(1L);
			catalog.find("p2");
			assertThat(catalog.counts().loads.get()).isEqualTo(2);
		});
	}

	@Test
	void perCacheTtlIsVisibleInRedis() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			catalog.find("p1");
			catalog.forever("f");
			catalog.other("o");
			assertThat((Long) redis("PTTL", "it:products::p1")).isBetween(89_000L, 90_000L);
			assertThat((Long) redis("PTTL", "it:forever::f")).isEqualTo(-1L);
			assertThat((Long) redis("PTTL", "it:others::o")).as("dynamic cache: default TTL")
				.isBetween(3_590_000L, 3_600_000L);
		});
	}

	@Test
	void cachePutReplacesTheEntry() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			catalog.find("p1");
			catalog.rename("p1", "Renamed");
			assertThat(catalog.find("p1").name()).isEqualTo("Renamed");
			assertThat(catalog.counts().loads.get()).isEqualTo(1);
		});
	}

	@Test
	void cacheEvictRemovesOneEntryOrAllOfOneCacheOnly() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			catalog.find("p1");
			catalog.find("p2");
			catalog.other("o");
			redis("SET", "it:productsX::p1", "neighbour");
			catalog.evict("p1");
			assertThat(redis("EXISTS", "it:products::p1")).isEqualTo(0L);
			assertThat(redis("EXISTS", "it:products::p2")).isEqualTo(1L);
			catalog.find("p1");
			assertThat(catalog.counts().loads.get()).isEqualTo(3);
			catalog.evictAll();
			assertThat(redis("EXISTS", "it:products::p1", "it:products::p2")).isEqualTo(0L);
			assertThat(redis("EXISTS", "it:others::o")).as("another cache").isEqualTo(1L);
			assertThat(redis("EXISTS", "it:productsX::p1")).as("a cache whose name extends this one").isEqualTo(1L);
		});
	}

	@Test
	void syncLoadsOnceUnderSixteenConcurrentCallers() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				CyclicBarrier start = new CyclicBarrier(16);
				List<Future<Product>> calls = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					calls.add(pool.submit(() -> {
						start.await();
						return catalog.findSync("hot");
					}));
				}
				for (Future<Product> call : calls) {
					assertThat(call.get(30, TimeUnit.SECONDS).id()).isEqualTo("hot");
				}
				assertThat(catalog.counts().slowLoads.get()).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	/**
	 * {@code sync = true} on a {@code CompletableFuture} method: every round, 24 callers on 3
	 * fresh keys start together; each key is loaded exactly once and each caller gets its own
	 * key's value. Repeated rounds, since a race shows only sometimes.
	 */
	@Test
	void syncCompletableFutureLoadsOncePerKeyUnderConcurrentCallers() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			assertOneLoadPerKey("future", catalog.counts().syncAsyncLoads,
					(key) -> catalog.findAsyncSync(key).get(30, TimeUnit.SECONDS));
		});
	}

	@Test
	void syncMonoLoadsOncePerKeyUnderConcurrentCallers() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			assertOneLoadPerKey("mono", catalog.counts().syncMonoLoads,
					(key) -> catalog.findMonoSync(key).block(java.time.Duration.ofSeconds(30)));
		});
	}

	interface Call {

		Product call(String key) throws Exception;

	}

	private static void assertOneLoadPerKey(String name, java.util.Map<String, AtomicInteger> loads, Call call)
			throws Exception {
		int keysPerRound = 3;
		int callersPerKey = 8;
		int callers = keysPerRound * callersPerKey;
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			for (int round = 0; round < 12; round++) {
				CyclicBarrier start = new CyclicBarrier(callers);
				List<String> keys = new ArrayList<>();
				List<Future<Product>> calls = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					String key = name + "-" + round + "-" + (i % keysPerRound);
					keys.add(key);
					calls.add(pool.submit(() -> {
						start.await();
						return call.call(key);
					}));
				}
				for (int i = 0; i < callers; i++) {
					assertThat(calls.get(i).get(30, TimeUnit.SECONDS).id()).as("round %d, caller %d", round, i)
						.isEqualTo(keys.get(i));
				}
				for (int k = 0; k < keysPerRound; k++) {
					String key = name + "-" + round + "-" + k;
					assertThat(loads.get(key)).as("loads of %s", key).hasValue(1);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aValueOfAnotherTypeUnderTheKeyIsAMissAndTheResultReplacesIt() {
		this.contextRunner.run((context) -> {
			CacheManager manager = context.getBean(CacheManager.class);
			manager.getCache("products").put("p1", "written by someone else");
			manager.getCache("slow").put("s1", "written by someone else");
			manager.getCache("async").put("a1", 42);
			manager.getCache("async-sync").put("as1", "written by someone else");
			manager.getCache("reactive").put("r1", List.of("x"));
			Catalog catalog = context.getBean(Catalog.class);
			assertThat(catalog.find("p1")).isEqualTo(new Product("p1", "Product p1"));
			assertThat(catalog.find("p1")).isEqualTo(new Product("p1", "Product p1"));
			assertThat(catalog.counts().loads).as("the result replaced the entry").hasValue(1);
			assertThat(manager.getCache("products").get("p1").get()).isEqualTo(new Product("p1", "Product p1"));
			assertThat(catalog.findSync("s1").id()).isEqualTo("s1");
			assertThat(catalog.findAsync("a1").get(5, TimeUnit.SECONDS).id()).isEqualTo("a1");
			assertThat(catalog.findAsyncSync("as1").get(5, TimeUnit.SECONDS).id()).isEqualTo("as1");
			assertThat(catalog.findMono("r1").block(java.time.Duration.ofSeconds(5)).id()).isEqualTo("r1");
			assertThat(catalog.findAsync("a1").get(5, TimeUnit.SECONDS).id()).isEqualTo("a1");
			assertThat(catalog.counts().asyncLoads).hasValue(1);
		});
	}

	@Test
	void aValueOfAnotherTypeIsAMissInTransactionAwareCachesToo() {
		this.contextRunner.withPropertyValues("app.cache.transaction-aware=true").run((context) -> {
			context.getBean(CacheManager.class).getCache("products").put("p1", "written by someone else");
			Catalog catalog = context.getBean(Catalog.class);
			assertThat(catalog.find("p1")).isEqualTo(new Product("p1", "Product p1"));
			assertThat(catalog.find("p1")).isEqualTo(new Product("p1", "Product p1"));
			assertThat(catalog.counts().loads).hasValue(1);
		});
	}

	@Test
	void aValueOfAnotherTypeUnderTheKeyFailsFastAsASerializationError() {
		this.contextRunner.withPropertyValues("app.cache.failure-mode=fail-fast").run((context) -> {
			context.getBean(CacheManager.class).getCache("products").put("p1", "written by someone else");
			Catalog catalog = context.getBean(Catalog.class);
			org.assertj.core.api.Assertions.assertThatExceptionOfType(io.cachekit.core.CacheException.class)
				.isThrownBy(() -> catalog.find("p1"))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(io.cachekit.core.ErrorCode.SERIALIZATION))
				.withMessageContaining("java.lang.String")
				.withMessageContaining(Product.class.getName());
			assertThat(catalog.counts().loads).hasValue(0);
		});
	}

	@Test
	void aCacheWithAValueTypeStoresPlainJsonAndReadsItBack() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			assertThat(catalog.typed("t1")).isEqualTo(new Product("t1", "typed"));
			assertThat(catalog.typed("t1")).isEqualTo(new Product("t1", "typed"));
			assertThat(catalog.counts().typedLoads).hasValue(1);
			assertThat(redis("GET", "it:typed::t1")).as("no type metadata").isEqualTo("{\"id\":\"t1\",\"name\":\"typed\"}");
			catalog.find("p1");
			assertThat((String) redis("GET", "it:products::p1")).as("a mixed cache records the type")
				.contains(Product.class.getName());
		});
	}

	@Test
	void aCacheWithAValueTypeReadsNoOtherType() {
		this.contextRunner.run((context) -> {
			// JSON naming another class, as a mixed cache would write it: read only as a Product
			redis("SET", "it:typed::t1", "[\"java.util.ArrayList\",[]]");
			Cache typed = context.getBean(CacheManager.class).getCache("typed");
			assertThat(typed.get("t1")).isNull();
			org.assertj.core.api.Assertions.assertThatExceptionOfType(io.cachekit.core.CacheSerializationException.class)
				.isThrownBy(() -> typed.put("t2", "not a product"));
		});
	}

	@Test
	void completableFutureResultsAreCachedAsynchronously() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			Product first = catalog.findAsync("a1").get(5, TimeUnit.SECONDS);
			Product second = catalog.findAsync("a1").get(5, TimeUnit.SECONDS);
			assertThat(second).isEqualTo(first);
			assertThat(catalog.counts().asyncLoads.get()).isEqualTo(1);
			assertThat(redis("EXISTS", "it:async::a1")).isEqualTo(1L);
		});
	}

	@Test
	void nullResultsAreCachedWhereAllowedAndNotWhereNot() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			assertThat(catalog.maybe("none")).isNull();
			assertThat(catalog.maybe("none")).isNull();
			assertThat(catalog.counts().nullLoads.get()).as("null cached").isEqualTo(1);
			assertThat(catalog.strict("none")).isNull();
			assertThat(catalog.strict("none")).isNull();
			assertThat(catalog.counts().strictLoads.get()).as("null not cached").isEqualTo(2);
			assertThat(redis("EXISTS", "it:strict::none")).isEqualTo(0L);
		});
	}

	@Test
	void compositeKeysAreStableAndDistinct() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			catalog.search("a,b", 1);
			catalog.search("a", 1);
			catalog.search("a,b", 1);
			assertThat(catalog.counts().searches.get()).isEqualTo(2);
			assertThat(redis("EXISTS", "it:search::[a\\,b,1]")).isEqualTo(1L);
			assertThat(redis("EXISTS", "it:search::[a,1]")).isEqualTo(1L);
		});
	}

	@Test
	void putIfAbsentIsAtomicAndClearStaysInTheCache() {
		this.contextRunner.run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("direct");
			assertThat(cache.putIfAbsent("k", "first")).isNull();
			assertThat(cache.putIfAbsent("k", "second").get()).isEqualTo("first");
			assertThat(cache.get("k", String.class)).isEqualTo("first");
			assertThat(cache.evictIfPresent("k")).isTrue();
			assertThat(cache.evictIfPresent("k")).isFalse();
			cache.put("a", 1);
			redis("SET", "it:direct-other::a", "x");
			assertThat(cache.invalidate()).isTrue();
			assertThat(cache.get("a")).isNull();
			assertThat(redis("EXISTS", "it:direct-other::a")).isEqualTo(1L);
		});
	}

	@Test
	void monoResultsAreCachedReactively() {
		this.contextRunner.run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			Product first = catalog.findMono("r1").block(java.time.Duration.ofSeconds(5));
			Product second = catalog.findMono("r1").block(java.time.Duration.ofSeconds(5));
			assertThat(second).isEqualTo(first);
			assertThat(catalog.counts().monoLoads.get()).isEqualTo(1);
			assertThat(redis("EXISTS", "it:reactive::r1")).isEqualTo(1L);
		});
	}

	@Test
	void nullCachingCanBeTurnedOffForAllCaches() {
		this.contextRunner.withPropertyValues("app.cache.cache-null-values=false").run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			catalog.maybe("none");
			catalog.maybe("none");
			assertThat(catalog.counts().nullLoads.get()).isEqualTo(2);
		});
	}

	@Test
	void transactionAwareCachesWriteOnlyAfterCommit() {
		this.contextRunner.withPropertyValues("app.cache.transaction-aware=true").run((context) -> {
			CacheKitCacheManager manager = context.getBean(CacheKitCacheManager.class);
			assertThat(manager.isTransactionAware()).isTrue();
			Cache cache = manager.getCache("tx");
			org.springframework.transaction.support.TransactionSynchronizationManager.initSynchronization();
			try {
				cache.put("k", "v");
				assertThat(redis("EXISTS", "it:tx::k")).as("not before commit").isEqualTo(0L);
				for (org.springframework.transaction.support.TransactionSynchronization sync : org.springframework.transaction.support.TransactionSynchronizationManager
					.getSynchronizations()) {
					sync.afterCommit();
				}
			}
			finally {
				org.springframework.transaction.support.TransactionSynchronizationManager.clearSynchronization();
			}
			assertThat(redis("EXISTS", "it:tx::k")).isEqualTo(1L);
		});
	}

	@Test
	void dynamicCachesCanBeDisallowed() {
		this.contextRunner.withPropertyValues("app.cache.dynamic-caches=false").run((context) -> {
			CacheManager manager = context.getBean(CacheManager.class);
			assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("products", "forever", "strict", "typed");
			assertThat(manager.getCache("unlisted")).isNull();
		});
	}

	public record Product(String id, String name) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

	}

	static class Counts {

		final AtomicInteger loads = new AtomicInteger();

		final AtomicInteger slowLoads = new AtomicInteger();

		final AtomicInteger asyncLoads = new AtomicInteger();

		final AtomicInteger nullLoads = new AtomicInteger();

		final AtomicInteger strictLoads = new AtomicInteger();

		final AtomicInteger searches = new AtomicInteger();

		final AtomicInteger monoLoads = new AtomicInteger();

		final AtomicInteger typedLoads = new AtomicInteger();

		final java.util.Map<String, AtomicInteger> syncAsyncLoads = new java.util.concurrent.ConcurrentHashMap<>();

		final java.util.Map<String, AtomicInteger> syncMonoLoads = new java.util.concurrent.ConcurrentHashMap<>();

	}

	static class Catalog {

		private final Counts counts = new Counts();

		/** Through a method: the caching proxy has no state of its own. */
		public Counts counts() {
			return this.counts;
		}

		@Cacheable("products")
		public Product find(String id) {
			this.counts.loads.incrementAndGet();
			return new Product(id, "Product " + id);
		}

		@Cacheable("forever")
		public Product forever(String id) {
			return new Product(id, "forever");
		}

		@Cacheable("others")
		public Product other(String id) {
			return new Product(id, "other");
		}

		@CachePut(cacheNames = "products", key = "#id")
		public Product rename(String id, String name) {
			return new Product(id, name);
		}

		@CacheEvict("products")
		public void evict(String id) {
		}

		@CacheEvict(cacheNames = "products", allEntries = true)
		public void evictAll() {
		}

		@Cacheable(cacheNames = "slow", sync = true)
		public Product findSync(String id) throws InterruptedException {
			this.counts.slowLoads.incrementAndGet();
			Thread.sleep(200);
			return new Product(id, "slow");
		}

		@Cacheable("async")
		public CompletableFuture<Product> findAsync(String id) {
			this.counts.asyncLoads.incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Product(id, "async"));
		}

		@Cacheable("reactive")
		public reactor.core.publisher.Mono<Product> findMono(String id) {
			return reactor.core.publisher.Mono.fromSupplier(() -> {
				this.counts.monoLoads.incrementAndGet();
				return new Product(id, "mono");
			});
		}

		@Cacheable(cacheNames = "async-sync", sync = true)
		public CompletableFuture<Product> findAsyncSync(String id) {
			this.counts.syncAsyncLoads.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet();
			return CompletableFuture.supplyAsync(() -> new Product(id, "async"),
					CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
		}

		@Cacheable(cacheNames = "mono-sync", sync = true)
		public reactor.core.publisher.Mono<Product> findMonoSync(String id) {
			return reactor.core.publisher.Mono.fromSupplier(() -> {
				this.counts.syncMonoLoads.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet();
				return new Product(id, "mono");
			}).delayElement(java.time.Duration.ofMillis(100));
		}

		@Cacheable("typed")
		public Product typed(String id) {
			this.counts.typedLoads.incrementAndGet();
			return new Product(id, "typed");
		}

		@Cacheable("nullable")
		public Product maybe(String id) {
			this.counts.nullLoads.incrementAndGet();
			return null;
		}

		@Cacheable("strict")
		public Product strict(String id) {
			this.counts.strictLoads.incrementAndGet();
			return null;
		}

		@Cacheable("search")
		public List<Product> search(String query, int page) {
			this.counts.searches.incrementAndGet();
			return new ArrayList<>(List.of(new Product(query, "page " + page)));
		}

	}

}
