package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitBulkCachingAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.spring.CacheKitCachingTests.Product;
import io.cachekit.spring.bulk.BulkCacheable;

/**
 * {@code @BulkCacheable} through a real Spring context and a real Redis (standalone and cluster:
 * the subclasses; cache-test runs them on the in-memory engine too): the method called once with exactly the missing ids, results equal to a
 * non-cached run, entries shared with {@code @Cacheable} both ways, and one load per element per
 * JVM across 16 threads with overlapping ids.
 */
abstract class BulkCacheableScenarios {

	/** Where the subclass's caches live: Redis standalone, a cluster, or the in-memory engine. */
	abstract CacheEngineFixture engine();

	private final CacheEngineFixture engine = engine();

	final ApplicationContextRunner contextRunner() {
		return this.engine.apply(new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
					CacheAutoConfiguration.class, CacheKitBulkCachingAutoConfiguration.class))
			.withUserConfiguration(BulkConfiguration.class))
			.withPropertyValues("app.cache.prefix=bulk:", "app.cache.json.trusted-packages=io.cachekit.spring",
					"app.cache.caches.strict.cache-null-values=false");
	}

	/** What the uncached methods answer: the expectation of every cached call. */
	private final Products uncached = new Products();

	@BeforeEach
	@AfterEach
	void clean() {
		this.engine.call("FLUSHALL");
	}

	@Test
	void theMethodIsCalledOnceWithExactlyTheMissingIdsAndAnswersAsUncached() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			products.find("p2");
			products.find("p4");
			List<String> ids = List.of("p1", "p2", "p3", "p4", "gone5", "p6");
			assertThat(products.findAll(ids)).isEqualTo(this.uncached.findAll(ids));
			assertThat(products.calls()).containsExactly(List.of("p2"), List.of("p4"), List.of("p1", "p3", "gone5", "p6"));
			assertThat(products.findAll(ids)).as("all cached now, the absent one as null")
				.isEqualTo(this.uncached.findAll(ids));
			assertThat(products.calls()).hasSize(3);
			List<String> more = List.of("p6", "p7", "p1", "p7");
			assertThat(products.findAll(more)).isEqualTo(this.uncached.findAll(more));
			assertThat(products.calls()).last().isEqualTo(List.of("p7"));
		});
	}

	@Test
	void singleCacheableLookupsSeeBulkWrittenElementsAndTheReverse() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			products.findAll(List.of("a1", "a2", "gone3"));
			assertThat(products.find("a2")).isEqualTo(new Product("a2", "Product a2"));
			assertThat(products.find("gone3")).as("cached as absent").isNull();
			assertThat(products.calls()).hasSize(1);
			products.find("b1");
			assertThat(products.findAll(List.of("b1", "b2"))).containsOnlyKeys("b1", "b2");
			assertThat(products.calls()).last().as("b1 was written by @Cacheable").isEqualTo(List.of("b2"));
		});
	}

	@Test
	void aCacheThatDoesNotCacheNullsAsksForAbsentElementsAgain() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			List<String> ids = List.of("s1", "gone2");
			assertThat(products.strict(ids)).isEqualTo(this.uncached.strict(ids));
			assertThat(products.strict(ids)).isEqualTo(this.uncached.strict(ids));
			assertThat(products.calls()).containsExactly(List.of("s1", "gone2"), List.of("gone2"));
		});
	}

	@Test
	void listResultsInArgumentOrderOrNamedByTheirElement() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			products.findAll(List.of("l2"));
			List<String> ids = List.of("l1", "l2", "gone3", "l4");
			assertThat(products.inOrder(ids)).isEqualTo(this.uncached.inOrder(ids)).hasSize(4);
			assertThat(products.calls()).last().isEqualTo(List.of("l1", "gone3", "l4"));
			Set<String> others = new LinkedHashSet<>(List.of("l5", "l4", "gone6", "l1"));
			assertThat(products.found(others)).containsExactlyInAnyOrderElementsOf(this.uncached.found(others))
				.extracting(Product::id)
				.containsExactly("l5", "l4", "l1");
			assertThat(products.calls()).last().isEqualTo(List.of("l5", "gone6"));
		});
	}

	@Test
	void keyExpressionsWithOtherArgumentsShareEntriesWithCacheable() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			assertThat(products.price("EUR", "k1")).isEqualTo("EUR k1");
			Map<String, String> prices = products.prices("EUR", List.of("k1", "k2"));
			assertThat(prices).isEqualTo(this.uncached.prices("EUR", List.of("k1", "k2")));
			assertThat(products.calls()).containsExactly(List.of("EUR", "k1"), List.of("EUR", "k2"));
			assertThat(products.prices("USD", List.of("k1"))).containsEntry("k1", "USD k1");
			assertThat(products.price("EUR", "k2")).isEqualTo("EUR k2");
			assertThat(products.calls()).hasSize(3);
		});
	}

	@Test
	void conditionBypassesTheCachesAndUnlessVetoesStoringInTheSameOneCall() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			List<String> ids = List.of("c1", "live2", "draft3");
			assertThat(products.guarded(ids)).isEqualTo(this.uncached.guarded(ids));
			assertThat(products.guarded(ids)).isEqualTo(this.uncached.guarded(ids));
			assertThat(products.calls()).containsExactly(List.of("c1", "live2", "draft3"), List.of("live2", "draft3"));
		});
	}

	@Test
	void aValueOfAnotherTypeUnderAnElementsKeyIsLoadedAgainAndReplaced() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			context.getBean(org.springframework.cache.CacheManager.class).getCache("products").put("t1", "written by someone else");
			products.find("t2");
			List<String> ids = List.of("t1", "t2");
			assertThat(products.findAll(ids)).isEqualTo(this.uncached.findAll(ids));
			assertThat(products.calls()).containsExactly(List.of("t2"), List.of("t1"));
			assertThat(products.find("t1")).isEqualTo(new Product("t1", "Product t1"));
			assertThat(products.calls()).as("replaced").hasSize(2);
		});
	}

	@Test
	void theMethodsExceptionReachesTheCallerAsItIsAndNothingIsStored() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			org.assertj.core.api.Assertions.assertThatIOException()
				.isThrownBy(() -> products.failing(List.of("f1", "io")))
				.withMessage("disk");
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(() -> products.failing(List.of("f1", "f2")))
				.withMessage("state");
			assertThat(products.findAll(List.of("f1"))).containsOnlyKeys("f1");
			assertThat(products.calls()).last().as("f1 was not stored").isEqualTo(List.of("f1"));
		});
	}

	/**
	 * 16 threads, each asking for 20 ids overlapping its neighbours' (windows 5 apart, 95 ids in all),
	 * 10 rounds on fresh ids: each id is loaded once a round, and every caller gets what an uncached
	 * run answers.
	 */
	@Test
	void sixteenThreadsWithOverlappingIdsLoadEachElementOncePerRound() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			ExecutorService pool = Executors.newFixedThreadPool(16);
			try {
				for (int round = 0; round < 10; round++) {
					CyclicBarrier start = new CyclicBarrier(16);
					List<Future<Map<String, Product>>> calls = new ArrayList<>();
					List<List<String>> windows = new ArrayList<>();
					for (int t = 0; t < 16; t++) {
						List<String> window = new ArrayList<>();
						for (int i = 0; i < 20; i++) {
							window.add("r" + round + "-" + (t * 5 + i));
						}
						windows.add(window);
						calls.add(pool.submit(() -> {
							start.await(10, TimeUnit.SECONDS);
							return products.slow(window);
						}));
					}
					for (int t = 0; t < 16; t++) {
						assertThat(calls.get(t).get(30, TimeUnit.SECONDS)).isEqualTo(this.uncached.findAll(windows.get(t)));
					}
				}
				Map<String, Integer> loads = products.loadsPerId();
				assertThat(loads).hasSize(10 * 95);
				loads.forEach((id, count) -> assertThat(count).as("loads of %s", id).isEqualTo(1));
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class BulkConfiguration {

		@Bean
		Products products() {
			return new Products();
		}

	}

	/** Products by id; ids starting with "gone" do not exist. Records every call's ids. */
	static class Products {

		private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

		private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

		List<List<String>> calls() {
			return this.calls;
		}

		Map<String, Integer> loadsPerId() {
			Map<String, Integer> counts = new LinkedHashMap<>();
			this.loads.forEach((id, count) -> counts.put(id, count.get()));
			return counts;
		}

		private static @Nullable Product product(String id) {
			return id.startsWith("gone") ? null : new Product(id, "Product " + id);
		}

		private Map<String, Product> lookUp(Collection<String> ids) {
			this.calls.add(List.copyOf(ids));
			Map<String, Product> found = new LinkedHashMap<>();
			for (String id : ids) {
				this.loads.computeIfAbsent(id, (k) -> new AtomicInteger()).incrementAndGet();
				Product product = product(id);
				if (product != null) {
					found.put(id, product);
				}
			}
			return found;
		}

		@Cacheable("products")
		public @Nullable Product find(String id) {
			this.calls.add(List.of(id));
			return product(id);
		}

		@BulkCacheable("products")
		public Map<String, Product> findAll(Collection<String> ids) {
			return lookUp(ids);
		}

		@BulkCacheable("strict")
		public Map<String, Product> strict(List<String> ids) {
			return lookUp(ids);
		}

		@BulkCacheable("products")
		public List<@Nullable Product> inOrder(List<String> ids) {
			Map<String, Product> found = lookUp(ids);
			List<@Nullable Product> values = new ArrayList<>();
			ids.forEach((id) -> values.add(found.get(id)));
			return values;
		}

		@BulkCacheable(cacheNames = "products", resultElement = "#result.id")
		public List<Product> found(Set<String> ids) {
			List<Product> values = new ArrayList<>(lookUp(ids).values());
			Collections.reverse(values); // any order
			return values;
		}

		@BulkCacheable(cacheNames = "prices", key = "#currency + ':' + #element")
		public Map<String, String> prices(String currency, List<String> skus) {
			List<String> call = new ArrayList<>(List.of(currency));
			call.addAll(skus);
			this.calls.add(call);
			Map<String, String> prices = new LinkedHashMap<>();
			skus.forEach((sku) -> prices.put(sku, currency + " " + sku));
			return prices;
		}

		@Cacheable(cacheNames = "prices", key = "#currency + ':' + #sku")
		public String price(String currency, String sku) {
			this.calls.add(List.of(currency, sku));
			return currency + " " + sku;
		}

		@BulkCacheable(cacheNames = "products", condition = "!#element.startsWith('live')",
				unless = "#result != null && #result.id.startsWith('draft')")
		public Map<String, Product> guarded(List<String> ids) {
			return lookUp(ids);
		}

		@BulkCacheable("products")
		public Map<String, Product> failing(List<String> ids) throws java.io.IOException {
			if (ids.contains("io")) {
				throw new java.io.IOException("disk");
			}
			throw new IllegalStateException("state");
		}

		@BulkCacheable("products")
		public Map<String, Product> slow(List<String> ids) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return lookUp(ids);
		}

	}

}
