package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * A cache without stampede protection of its own: its store's loading layer coalesces loads per
 * key in this JVM and does nothing else (no lease in Redis); a loader's own failure is what the
 * caller's {@code ValueRetrievalException} carries.
 */
class CacheKitCoalescingTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(CacheKitCachingTests.CachingConfiguration.class)
		.withPropertyValues("app.cache.redis-url=" + redis.url(), "app.cache.prefix=co:");

	@BeforeEach
	@AfterEach
	void clean() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
	}

	@Test
	void loadsAreCoalescedPerJvmWithoutALeaseInRedis() throws Exception {
		this.contextRunner.run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("plain");
			assertThat(((CacheKitCache) cache).getLoadingStats()).as("no stampede protection of its own").isNull();
			AtomicInteger loads = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(8);
			int rounds = 10;
			try {
				for (int round = 0; round < rounds; round++) {
					String key = "k" + round;
					CountDownLatch loading = new CountDownLatch(1);
					CountDownLatch release = new CountDownLatch(1);
					CyclicBarrier start = new CyclicBarrier(8);
					List<Future<String>> calls = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						calls.add(pool.submit(() -> {
							start.await();
							return cache.get(key, () -> {
								loads.incrementAndGet();
								loading.countDown();
								release.await(10, TimeUnit.SECONDS);
								return "v";
							});
						}));
					}
					assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
					assertThat((List<?>) Resp.call("127.0.0.1", redis.process().port(), "KEYS", "*lease*"))
						.as("no lease while loading")
						.isEmpty();
					release.countDown();
					for (Future<String> call : calls) {
						assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo("v");
					}
					assertThat(loads).as("loads after round %d", round).hasValue(round + 1);
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(((CacheKitCache) cache).getMissCount()).as("one load a round").isEqualTo(rounds);
			assertThat(((CacheKitCache) cache).getHitCount()).as("the callers that shared it").isEqualTo(7 * rounds);
		});
	}

	@Test
	void aLoadersOwnFailureIsTheCauseOfTheValueRetrievalException() {
		this.contextRunner.run((context) -> {
			Cache cache = context.getBean(CacheManager.class).getCache("failing");
			IOException checked = new IOException("disk");
			assertThatExceptionOfType(Cache.ValueRetrievalException.class).isThrownBy(() -> cache.get("a", () -> {
				throw checked;
			})).withCause(checked);
			IllegalStateException unchecked = new IllegalStateException("state");
			assertThatExceptionOfType(Cache.ValueRetrievalException.class).isThrownBy(() -> cache.get("b", () -> {
				throw unchecked;
			})).withCause(unchecked);
		});
	}

	@Test
	void aBadNearCacheSettingOfACacheFailsStartUpNamingItsProperty() {
		this.contextRunner
			.withPropertyValues("app.cache.caches.bad.near-cache.enabled=true", "app.cache.caches.bad.near-cache.max-entries=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("app.cache.caches.bad.near-cache.max-entries"));
	}

}
