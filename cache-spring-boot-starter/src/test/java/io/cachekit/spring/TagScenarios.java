package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitTagsAutoConfiguration;
import io.cachekit.loading.TagVersions;
import io.cachekit.test.RedisProcess;
import io.cachekit.test.Resp;

/**
 * {@link CacheTags} and {@link EvictTags} through a real Spring context and a real Redis: what
 * every topology must do. A subclass says where Redis is.
 */
abstract class TagScenarios {

	/** What the near cache promises for another client's write (docs/near-cache.md): 100 ms. */
	static final Duration NEAR_CACHE_BOUND = Duration.ofMillis(100);

	final String prefix = "st:" + System.nanoTime() + ":";

	abstract String url();

	abstract List<RedisProcess> masters();

	ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
					CacheKitTagsAutoConfiguration.class, CacheAutoConfiguration.class))
			.withUserConfiguration(CatalogConfiguration.class)
			.withPropertyValues("app.cache.redis-url=" + url(), "app.cache.prefix=" + this.prefix,
					"app.cache.timeout=2s", "app.cache.tags.enabled=true",
					"app.cache.caches.untagged.tags.enabled=false");
	}

	@Test
	void anEvictionIsVisibleAtOnceInTheSameJvmAndLeavesOtherEntriesHits() {
		runner().run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			for (int round = 0; round < 20; round++) {
				String t1 = "t1-" + round;
				String t2 = "t2-" + round;
				String first = catalog.product(t1, "a");
				assertThat(catalog.product(t1, "a")).isEqualTo(first);
				String other = catalog.product(t2, "b");
				String plain = catalog.plain("x" + round);
				String synced = catalog.productSync(t1, "s");
				assertThat(catalog.productSync(t1, "s")).isEqualTo(synced);
				int calls = catalog.calls();
				catalog.renameTenant(t1);
				assertThat(catalog.product(t1, "a")).as("round %d: right after the eviction", round).isNotEqualTo(first);
				assertThat(catalog.productSync(t1, "s")).as("sync = true, right after the eviction").isNotEqualTo(synced);
				assertThat(catalog.calls()).isEqualTo(calls + 2);
				assertThat(catalog.product(t2, "b")).as("another tag's entry").isEqualTo(other);
				assertThat(catalog.plain("x" + round)).as("an untagged entry").isEqualTo(plain);
				assertThat(catalog.calls()).isEqualTo(calls + 2);
			}
		});
	}

	@Test
	void anEvictionIsVisibleToAnotherInstanceWithinTheNearCacheBound() {
		runner().run((first) -> runner().run((second) -> {
			Catalog writer = first.getBean(Catalog.class);
			Catalog reader = second.getBean(Catalog.class);
			for (int round = 0; round < 10; round++) {
				String tenant = "shared-" + round;
				String cached = writer.product(tenant, "p");
				assertThat(reader.product(tenant, "p")).isEqualTo(cached);
				assertThat(reader.product(tenant, "p")).isEqualTo(cached);
				int calls = reader.calls();
				long roundTrip = slowestPing();
				writer.renameTenant(tenant);
				Duration bound = NEAR_CACHE_BOUND.plusNanos(roundTrip);
				long took = await(bound, () -> {
					reader.product(tenant, "p");
					return reader.calls() > calls;
				});
				assertThat(took).as("round %d: the other instance reloads within %s", round, bound).isNotNegative();
			}
		}));
	}

	@Test
	void anEvictionSurvivesARestartOfTheInstanceThatMadeIt() {
		String[] cached = new String[1];
		runner().run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			cached[0] = catalog.product("gone", "a");
			catalog.product("stays", "b");
			catalog.renameTenant("gone");
		});
		runner().run((restarted) -> {
			Catalog catalog = restarted.getBean(Catalog.class);
			assertThat(catalog.product("gone", "a")).as("after a restart").isNotEqualTo(cached[0]);
			assertThat(catalog.calls()).isEqualTo(1);
			catalog.product("stays", "b");
			assertThat(catalog.calls()).as("the other tenant's entry is still a hit").isEqualTo(1);
		});
	}

	@Test
	void anEvictionWritesOneKeyWhateverTheNumberOfEntries() {
		runner().run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			for (int i = 0; i < 200; i++) {
				catalog.product("big", "p" + i);
			}
			for (RedisProcess master : masters()) {
				Resp.call(master.host(), master.port(), "CONFIG", "RESETSTAT");
			}
			catalog.renameTenant("big");
			long sent = 0;
			int nodes = 0;
			for (RedisProcess master : masters()) {
				long here = callsOn(master, "evalsha") + callsOn(master, "eval");
				sent += here;
				nodes += (here > 0) ? 1 : 0;
				assertThat(callsOn(master, "scan") + callsOn(master, "unlink") + callsOn(master, "del")).isZero();
			}
			assertThat(sent).as("commands sent by the eviction").isEqualTo(1);
			assertThat(nodes).as("nodes written").isEqualTo(1);
			assertThat(masters().stream()
				.filter((m) -> holds(m, this.prefix + TagVersions.key("tenant:big")))
				.count()).as("nodes holding the tag's key").isEqualTo(1);
			int calls = catalog.calls();
			catalog.product("big", "p7");
			assertThat(catalog.calls()).isEqualTo(calls + 1);
		});
	}

	@Test
	void cachePutTagsItsWriteAndACacheWithoutTagsRefusesTaggedWrites() {
		runner().run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			String put = catalog.update("t", "u");
			assertThat(catalog.product("t", "u")).isEqualTo(put);
			catalog.renameTenant("t");
			assertThat(catalog.product("t", "u")).isNotEqualTo(put);
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.untagged("t"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("app.cache.caches.untagged.tags.enabled=true");
		});
	}

	@Test
	void aCachedMethodCalledInsideATaggedOneDoesNotInheritItsTags() {
		runner().run((context) -> {
			Outer outer = context.getBean(Outer.class);
			// the inner method writes to a cache without tags: it would be refused with the outer tags
			assertThat(outer.wrapped("t")).startsWith("outer:");
		});
	}

	@Test
	void anEvictionOfAFutureMethodIsDoneWhenItsFutureIsAndTagsOfWritesMadeLaterAreRefused() {
		runner().run((context) -> {
			Catalog catalog = context.getBean(Catalog.class);
			String cached = catalog.product("later", "a");
			assertThat(catalog.renameLater("later").join()).isEqualTo("renamed");
			assertThat(catalog.product("later", "a")).as("once the future completed").isNotEqualTo(cached);
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.productLater("t"))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("sync = true");
		});
	}

	long slowestPing() {
		long slowest = 0;
		RedisProcess node = masters().get(0);
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			Resp.call(node.host(), node.port(), "PING");
			slowest = Math.max(slowest, System.nanoTime() - start);
		}
		return slowest;
	}

	static long await(Duration timeout, BooleanSupplier condition) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return System.nanoTime() - start;
			}
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return -1;
			}
		}
		return condition.getAsBoolean() ? System.nanoTime() - start : -1;
	}

	static long callsOn(RedisProcess master, String command) {
		String info = String.valueOf(Resp.call(master.host(), master.port(), "INFO", "commandstats"));
		String marker = "cmdstat_" + command + ":calls=";
		int at = info.indexOf(marker);
		if (at < 0) {
			return 0;
		}
		return Long.parseLong(info.substring(at + marker.length(), info.indexOf(',', at)));
	}

	static boolean holds(RedisProcess master, String key) {
		try {
			return Long.valueOf(1).equals(Resp.call(master.host(), master.port(), "EXISTS", key));
		}
		catch (Resp.RespErrorException moved) {
			return false;
		}
	}

	/** The application's service: tagged by tenant. */
	public static class Catalog {

		private final AtomicInteger calls = new AtomicInteger();

		/** Tells this instance's results from another's. */
		private final String instance = Long.toHexString(System.nanoTime());

		/**
		 * How often a cached method ran.
		 * @return the calls
		 */
		public int calls() {
			return this.calls.get();
		}

		@Cacheable(cacheNames = "products", key = "#tenant + ',' + #id")
		@CacheTags({ "'tenant:' + #tenant", "'products'" })
		public String product(String tenant, String id) {
			return tenant + "/" + id + "#" + this.calls.incrementAndGet() + "@" + this.instance;
		}

		@CachePut(cacheNames = "products", key = "#tenant + ',' + #id")
		@CacheTags("'tenant:' + #tenant")
		public String update(String tenant, String id) {
			return tenant + "/" + id + "!" + this.calls.incrementAndGet() + "@" + this.instance;
		}

		@Cacheable(cacheNames = "synced", sync = true)
		@CacheTags("'tenant:' + #p0")
		public String productSync(String tenant, String id) {
			return tenant + "/" + id + "~" + this.calls.incrementAndGet() + "@" + this.instance;
		}

		@Cacheable("plain")
		public String plain(String id) {
			return id + "#" + this.calls.incrementAndGet() + "@" + this.instance;
		}

		@Cacheable("untagged")
		@CacheTags("'tenant:' + #tenant")
		public String untagged(String tenant) {
			return tenant + "#" + this.calls.incrementAndGet() + "@" + this.instance;
		}

		@EvictTags("'tenant:' + #tenant")
		public void renameTenant(String tenant) {
		}

		@EvictTags("'tenant:' + #tenant")
		public CompletableFuture<String> renameLater(String tenant) {
			return CompletableFuture.supplyAsync(() -> "renamed",
					CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS));
		}

		@Cacheable("products")
		@CacheTags("'tenant:' + #tenant")
		public CompletableFuture<String> productLater(String tenant) {
			return CompletableFuture.completedFuture(tenant);
		}

		@Cacheable("untagged")
		public String noTags(String id) {
			return id + "#" + this.calls.incrementAndGet() + "@" + this.instance;
		}

	}

	/** A tagged method calling another bean's cached method. */
	public static class Outer {

		private final Catalog catalog;

		Outer(Catalog catalog) {
			this.catalog = catalog;
		}

		@Cacheable("products")
		@CacheTags("'outer:' + #tenant")
		public String wrapped(String tenant) {
			return "outer:" + this.catalog.noTags(tenant);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CatalogConfiguration {

		@Bean
		Catalog catalog() {
			return new Catalog();
		}

		@Bean
		Outer outer(Catalog catalog) {
			return new Outer(catalog);
		}

	}

}
