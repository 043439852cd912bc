package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitCacheAutoConfiguration;
import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * The bridge behind a {@link FaultProxy}: eight threads call a {@code @Cacheable} method whose
 * result embeds its key while the connection is blackholed (then healed) or loses commands. Never
 * an exception, never a result for another key; the method runs (a miss) during the outage, and
 * the cache serves hits again after the heal.
 */
class CacheKitNetworkFaultTests {

	private static final int THREADS = 8;

	private static final int KEYS = 40;

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(6);

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		Resp.call("127.0.0.1", redis.process().port(), "FLUSHALL");
		this.proxy = FaultProxy.start(redis.url());
	}

	@AfterEach
	void stop() {
		this.proxy.close();
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class, CacheKitCacheAutoConfiguration.class,
					CacheAutoConfiguration.class))
			.withUserConfiguration(LookupConfiguration.class)
			.withPropertyValues("app.cache.redis-url=" + this.proxy.url(), "app.cache.prefix=nfb:",
					"app.cache.timeout=300ms", "app.cache.json.trusted-packages=io.cachekit.spring");
	}

	@Test
	void cacheableThroughBlackholesAndDroppedCommands() {
		contextRunner().run((context) -> {
			Lookup lookup = context.getBean(Lookup.class);
			for (int k = 0; k < KEYS; k++) {
				assertThat(lookup.find("k" + k)).isEqualTo("k" + k + ":value");
			}
			List<Long> recoveries = new ArrayList<>();
			for (int round = 0; round < 6; round++) {
				boolean blackhole = round % 2 == 0;
				String where = (blackhole ? "blackhole" : "dropNextCommand") + " round " + round;
				Callers callers = new Callers(lookup, round);
				callers.start();
				try {
					String probe = "probe" + round;
					lookup.find(probe);
					awaitHit(lookup, probe, System.nanoTime(), where + " (before)");
					int loadsBefore = lookup.loads();
					long from;
					if (blackhole) {
						this.proxy.blackhole();
						Thread.sleep(1000);
						assertThat(lookup.loads()).as("%s: the method ran during the outage", where)
							.isGreaterThan(loadsBefore);
						this.proxy.pass();
					}
					else {
						for (int i = 0; i < 2; i++) {
							this.proxy.dropNextCommand();
							assertThat(this.proxy.awaitDropped(Duration.ofSeconds(10))).as(where).isTrue();
							Thread.sleep(50);
						}
					}
					from = System.nanoTime();
					recoveries.add(awaitHit(lookup, probe, from, where) - from);
				}
				finally {
					callers.stop();
				}
				assertThat(callers.problems).as("%s: exceptions and results for another key", where).isEmpty();
				assertThat(callers.calls.get()).as("%s: calls made", where).isGreaterThan(0);
			}
			List<Long> sorted = new ArrayList<>(recoveries);
			Collections.sort(sorted);
			System.out.printf("[network-fault] bridge: recovery p50=%d ms max=%d ms (all: %s ms)%n",
					TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() / 2)),
					TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() - 1)),
					sorted.stream().map(TimeUnit.NANOSECONDS::toMillis).toList());
		});
	}

	/** Calls {@code key} until a call is served from the cache (the method did not run); answers when. */
	private static long awaitHit(Lookup lookup, String key, long from, String where) throws InterruptedException {
		long deadline = from + RECOVERY_BOUND.toNanos();
		while (System.nanoTime() - deadline < 0) {
			int before = lookup.loadsOf(key);
			assertThat(lookup.find(key)).as(where).isEqualTo(key + ":value");
			if (lookup.loadsOf(key) == before) {
				return System.nanoTime();
			}
			Thread.sleep(5);
		}
		throw new AssertionError(where + ": no hit for " + key + " within " + RECOVERY_BOUND + " of the heal");
	}

	private static final class Callers {

		final Lookup lookup;

		final int round;

		final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

		final AtomicInteger calls = new AtomicInteger();

		final List<Thread> threads = new ArrayList<>();

		volatile boolean stopping;

		Callers(Lookup lookup, int round) {
			this.lookup = lookup;
			this.round = round;
		}

		void start() {
			for (int t = 0; t < THREADS; t++) {
				Random random = new Random(this.round * 100L + t);
				Thread thread = new Thread(() -> {
					while (!this.stopping) {
						String key = "k" + random.nextInt(KEYS);
						try {
							String result = this.lookup.find(key);
							if (!(key + ":value").equals(result)) {
								this.problems.add("find(" + key + ") answered '" + result + "': WRONG KEY");
							}
						}
						catch (RuntimeException ex) {
							this.problems.add("find(" + key + ") threw " + ex);
						}
						this.calls.incrementAndGet();
						java.util.concurrent.locks.LockSupport.parkNanos(200_000);
					}
				}, "nfb-caller-" + t);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		void stop() throws InterruptedException {
			this.stopping = true;
			for (Thread thread : this.threads) {
				thread.join(20_000);
				if (thread.isAlive()) {
					this.problems.add(thread.getName() + " still running 20 s after stop: a call hung");
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class LookupConfiguration {

		@Bean
		Lookup lookup() {
			return new Lookup();
		}

	}

	static class Lookup {

		private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

		private final AtomicInteger total = new AtomicInteger();

		@Cacheable("items")
		public String find(String key) {
			this.loads.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
			this.total.incrementAndGet();
			return key + ":value";
		}

		public int loads() {
			return this.total.get();
		}

		public int loadsOf(String key) {
			AtomicInteger count = this.loads.get(key);
			return (count != null) ? count.get() : 0;
		}

	}

}
