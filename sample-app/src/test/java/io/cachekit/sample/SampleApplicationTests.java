package io.cachekit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.cachekit.core.CacheBackend;
import io.cachekit.test.RedisExtension;
import tools.jackson.databind.JsonNode;

/**
 * The sample end to end: started on a random port against a real Redis, every endpoint driven over
 * HTTP, and the effect of the cache checked where it shows, in the slow repository's load counts.
 */
class SampleApplicationTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private static ConfigurableApplicationContext context;

	private static ProductRepository repository;

	private SampleClient client;

	@BeforeAll
	static void start() {
		// command-line arguments: they take precedence over application.yml
		context = new SpringApplicationBuilder(SampleApplication.class).properties("spring.main.banner-mode=off")
			.run("--server.port=0", "--app.cache.redis-url=" + redis.url(),
					// a key space of its own, should the Redis be shared
					"--app.cache.prefix=sample-test-" + UUID.randomUUID() + ":");
		repository = context.getBean(ProductRepository.class);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.getBean(CacheBackend.class).clear();
			context.close();
		}
	}

	/** Each test is a client of its own, with a rate-limit window of its own. */
	@BeforeEach
	void client(TestInfo test) {
		this.client = new SampleClient(context, test.getTestMethod().orElseThrow().getName());
	}

	@Test
	void usesTheRedisThatAnswersAndStartsNoneOfItsOwn() {
		assertThat(context.getBeansOfType(EmbeddedRedisServer.class)).isEmpty();
		assertThat(context.getEnvironment().getProperty("app.cache.redis-url")).isEqualTo(redis.url());
	}

	@Test
	void theRepositoryLoadsAProductOnceForTwoReads() {
		this.client.delete("/products/p1/cache");
		long loads = repository.productLoads("p1");
		HttpResponse<String> first = this.client.get("/products/p1");
		HttpResponse<String> second = this.client.get("/products/p1");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(SampleClient.header(first, "X-Cache")).isEqualTo("MISS");
		assertThat(millis(first)).isGreaterThanOrEqualTo(ProductRepository.LATENCY.toMillis());
		assertThat(SampleClient.header(second, "X-Cache")).isEqualTo("HIT");
		// that the hit did not wait for the repository is proven by the load count below, not by its
		// response time, which a busy machine can stretch past the repository's latency
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(SampleClient.json(second).path("name").asString()).isEqualTo("Desk lamp");
		assertThat(repository.productLoads("p1")).isEqualTo(loads + 1);
	}

	@Test
	void evictionMakesTheRepositoryLoadAgain() {
		this.client.get("/products/p2");
		assertThat(SampleClient.header(this.client.get("/products/p2"), "X-Cache")).isEqualTo("HIT");
		long loads = repository.productLoads("p2");
		assertThat(this.client.delete("/products/p2/cache").statusCode()).isEqualTo(204);
		assertThat(SampleClient.header(this.client.get("/products/p2"), "X-Cache")).isEqualTo("MISS");
		assertThat(SampleClient.header(this.client.get("/products/p2"), "X-Cache")).isEqualTo("HIT");
		assertThat(repository.productLoads("p2")).isEqualTo(loads + 1);
	}

	@Test
	void unknownProductsAreNotFoundAndNotCached() {
		HttpResponse<String> response = this.client.get("/products/nope");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.client.getJson("/cache/ttl?key=products::nope").path("exists").asBoolean()).isFalse();
	}

	@Test
	void savingAProductPutsTheNewValuesInTheCacheAndEvictsCategoryListings() {
		this.client.get("/categories/lighting/products");
		HttpResponse<String> saved = this.client.put("/products/p3",
				"{\"name\":\"LED strip 5 m\",\"category\":\"lighting\",\"price\":29.90}");
		assertThat(saved.statusCode()).isEqualTo(200);
		long loads = repository.productLoads("p3");
		HttpResponse<String> read = this.client.get("/products/p3");
		assertThat(SampleClient.header(read, "X-Cache")).isEqualTo("HIT");
		assertThat(SampleClient.json(read).path("name").asString()).isEqualTo("LED strip 5 m");
		assertThat(SampleClient.json(read).path("price").decimalValue()).isEqualByComparingTo("29.90");
		assertThat(repository.productLoads("p3")).isEqualTo(loads);
		HttpResponse<String> listing = this.client.get("/categories/lighting/products");
		assertThat(SampleClient.header(listing, "X-Cache")).isEqualTo("MISS");
		assertThat(listing.body()).contains("LED strip 5 m");
	}

	@Test
	void categoryListingsAreCachedThroughACompletableFuture() {
		this.client.delete("/cache?pattern=categories::furniture");
		long loads = repository.categoryLoads("furniture");
		HttpResponse<String> first = this.client.get("/categories/furniture/products");
		HttpResponse<String> second = this.client.get("/categories/furniture/products");
		assertThat(SampleClient.header(first, "X-Cache")).isEqualTo("MISS");
		assertThat(SampleClient.header(second, "X-Cache")).isEqualTo("HIT");
		assertThat(ids(SampleClient.json(second))).containsExactly("p4", "p5", "p6");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(repository.categoryLoads("furniture")).isEqualTo(loads + 1);
	}

	@Test
	void batchReadsShareTheEntriesOfTheProductsCache() {
		this.client.delete("/cache?pattern=products::p%5B456%5D");
		this.client.get("/products/p4");
		long loadsOfP5 = repository.productLoads("p5");
		HttpResponse<String> partial = this.client.get("/products?ids=p4,p5,nope");
		assertThat(SampleClient.header(partial, "X-Cache")).isEqualTo("PARTIAL");
		assertThat(ids(SampleClient.json(partial))).containsExactly("p4", "p5");
		HttpResponse<String> hit = this.client.get("/products?ids=p5,p4");
		assertThat(SampleClient.header(hit, "X-Cache")).isEqualTo("HIT");
		assertThat(ids(SampleClient.json(hit))).containsExactly("p5", "p4");
		// what the batch stored, @Cacheable finds
		assertThat(SampleClient.header(this.client.get("/products/p5"), "X-Cache")).isEqualTo("HIT");
		assertThat(repository.productLoads("p5")).isEqualTo(loadsOfP5 + 1);
		assertThat(this.client.getJson("/cache/ttl?key=products::p5").path("ttlSeconds").asLong()).isBetween(590L, 600L);
	}

	@Test
	void cacheEntriesLiveForTheTtlsOfApplicationYml() {
		this.client.get("/products/p7");
		this.client.get("/categories/electronics/products");
		assertThat(this.client.getJson("/cache/ttl?key=products::p7").path("ttlSeconds").asLong()).isBetween(590L, 600L);
		assertThat(this.client.getJson("/cache/ttl?key=categories::electronics").path("ttlSeconds").asLong())
			.isBetween(20L, 30L);
	}

	@Test
	void patternInvalidationRemovesTheMatchingKeys() {
		this.client.get("/products/p7");
		this.client.get("/products/p8");
		JsonNode invalidation = SampleClient.json(this.client.delete("/cache?pattern=products::p%5B78%5D"));
		assertThat(invalidation.path("removed").asLong()).isEqualTo(2);
		assertThat(SampleClient.header(this.client.get("/products/p8"), "X-Cache")).isEqualTo("MISS");
	}

	@Test
	void viewsAreCountedInAOneMinuteWindow() {
		long first = Long.parseLong(SampleClient.header(this.client.get("/products/p6"), "X-Views-This-Minute"));
		long second = Long.parseLong(SampleClient.header(this.client.get("/products/p6"), "X-Views-This-Minute"));
		long third = Long.parseLong(SampleClient.header(this.client.get("/products/p6"), "X-Views-This-Minute"));
		assertThat(List.of(second, third)).containsExactly(first + 1, first + 2);
		assertThat(this.client.getJson("/cache/ttl?key=views:p6").path("ttlSeconds").asLong()).isBetween(1L, 60L);
	}

	@Test
	void aHoldGoesToTheFirstClientOnly() {
		SampleClient alice = new SampleClient(context, "alice");
		SampleClient bob = new SampleClient(context, "bob");
		HttpResponse<String> held = alice.post("/products/p8/hold", null);
		assertThat(held.statusCode()).isEqualTo(201);
		assertThat(SampleClient.json(held).path("heldBy").asString()).isEqualTo("alice");
		HttpResponse<String> refused = bob.post("/products/p8/hold", null);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(SampleClient.json(refused).path("heldBy").asString()).isEqualTo("alice");
		assertThat(SampleClient.json(refused).path("expiresInSeconds").asLong()).isBetween(110L, 120L);
	}

	@Test
	void tagsAreASet() {
		JsonNode added = SampleClient.json(this.client.post("/products/p1/tags", "[\"sale\",\"lamp\",\"sale\"]"));
		assertThat(strings(added.path("tags"))).containsExactly("lamp", "sale");
		JsonNode removed = SampleClient.json(this.client.delete("/products/p1/tags/sale"));
		assertThat(strings(removed.path("tags"))).containsExactly("lamp");
		assertThat(strings(this.client.getJson("/products/p1/tags").path("tags"))).containsExactly("lamp");
	}

	@Test
	void aClientOverTheRateLimitGets429UntilTheWindowEnds() {
		for (int i = 1; i <= 10; i++) {
			HttpResponse<String> response = this.client.get("/products/p1");
			assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
			assertThat(SampleClient.header(response, "X-RateLimit-Remaining")).isEqualTo(Integer.toString(10 - i));
		}
		HttpResponse<String> refused = this.client.get("/products/p1");
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(Long.parseLong(SampleClient.header(refused, "Retry-After"))).isBetween(1L, 10L);
		assertThat(new SampleClient(context, "someone-else").get("/products/p1").statusCode()).isEqualTo(200);
	}

	@Test
	void aClientWithoutIdGetsTheAnonymousLimitSoTheDocsWalkThroughIsNeverRefused() {
		RateLimitProperties limit = context.getBean(RateLimitProperties.class);
		SampleClient anonymous = new SampleClient(context, null);   // as curl in docs/sample-app.md: no X-Client-Id
		for (int i = 1; i <= limit.requests() + 1; i++) {
			HttpResponse<String> response = anonymous.get("/products/p1");
			assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
			assertThat(SampleClient.header(response, "X-RateLimit-Remaining"))
				.isEqualTo(Integer.toString(limit.anonymousRequests() - i));
		}
	}

	@Test
	void categoryListingsAreServedByTheirNearCacheOnceRead() {
		SampleClient near = new SampleClient(context, "near-cache-demo");
		near.delete("/cache?pattern=categories::lighting");
		for (int i = 0; i < 3; i++) {
			assertThat(near.get("/categories/lighting/products").statusCode()).isEqualTo(200);
		}
		JsonNode categories = near.getJson("/actuator/health")
			.path("components").path("cacheKit").path("details").path("nearCaches").path("categories");
		assertThat(categories.path("hits").asLong()).as("near hits of %s", categories).isPositive();
		assertThat(categories.path("size").asLong()).isBetween(1L, 100L);
	}

	@Test
	void actuatorShowsHealthCachesAndCacheMetrics() {
		JsonNode health = this.client.getJson("/actuator/health");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("cacheKit").path("status").asString()).isEqualTo("UP");
		JsonNode caches = this.client.getJson("/actuator/caches").path("cacheManagers").path("cacheManager").path("caches");
		assertThat(caches.has("products")).isTrue();
		assertThat(caches.has("categories")).isTrue();
		this.client.get("/products/p2");
		double hits = cacheGets("hit");
		double misses = cacheGets("miss");
		this.client.delete("/products/p2/cache");
		this.client.get("/products/p2");
		this.client.get("/products/p2");
		assertThat(cacheGets("miss")).isEqualTo(misses + 1);
		assertThat(cacheGets("hit")).isEqualTo(hits + 1);
	}

	private double cacheGets(String result) {
		return this.client.getJson("/actuator/metrics/cache.gets?tag=cache:products&tag=result:" + result)
			.path("measurements").get(0).path("value").asDouble();
	}

	private static long millis(HttpResponse<String> response) {
		return Long.parseLong(SampleClient.header(response, "X-Response-Time-ms"));
	}

	private static List<String> ids(JsonNode products) {
		List<String> ids = new ArrayList<>();
		products.forEach((product) -> ids.add(product.path("id").asString()));
		return ids;
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((element) -> strings.add(element.asString()));
		return strings;
	}

}
