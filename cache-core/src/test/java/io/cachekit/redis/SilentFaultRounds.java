package io.cachekit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.near.NearCacheLayer;
import io.cachekit.test.FaultProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Issue 19's first acceptance point, black-box, for one topology (a subclass says which and where
 * its {@link FaultProxy} sits): ten rounds of each fault (one lost command, a blackhole then heal, a
 * stall of the open connections, a dropped push frame with a near cache on), with
 * {@link SilentFaultWorkload}'s six threads on both faces and getMany throughout. Every round
 * asserts, softly so that a failing round reports every broken promise at once:
 * <ul>
 * <li>zero values answered for another key, zero exceptions or failed futures (fail-open), no hang;</li>
 * <li>zero acknowledged entries deleted or lost: every key reads back, directly from Redis at the
 * node's real port, its last acknowledged value (or a write that answered {@code false} since);</li>
 * <li>the faulty node's keys served again within {@link SilentFaultBounds#servedAgain} of the heal;</li>
 * <li>other nodes unaffected: their keys hit on every read throughout the fault (cluster).</li>
 * </ul>
 */
abstract class SilentFaultRounds {

	static final int ROUNDS = 10;

	static final String PREFIX = "sf:";

	private static final Duration PROBE_EVERY = Duration.ofMillis(10);

	private RedisCacheBackend<String> backend;

	private NearCacheLayer near;

	private final RedisClient marginClient = RedisClient.create();

	/** The proxy between the backend and the faulty node. */
	protected abstract FaultProxy proxy();

	/** A builder on this topology's URL (the proxy is on the way to the faulty node). */
	protected abstract RedisCacheBackendBuilder<?> builderForTopology();

	/** {@code GET fullKey} on the node that holds it, at its real port (never through the proxy). */
	protected abstract String direct(String fullKey);

	/** {@code SET fullKey value} on the node that holds it, at its real port. */
	protected abstract void plant(String fullKey, String value);

	/** Whether {@code fullKey} lives on the node behind the proxy (every key, but on a cluster). */
	protected abstract boolean onFaultyNode(String fullKey);

	@AfterEach
	void closeBackend() {
		if (this.backend != null) {
			this.backend.close();
		}
		this.marginClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		proxy().cancelPendingDrops();
		proxy().pass();
	}

	@Test
	void oneLostCommand() throws Exception {
		rounds("lost", false, (round) -> {
			proxy().dropNextCommand();
			if (!proxy().awaitDropped(Duration.ofSeconds(10))) {
				throw new AssertionError("round " + round + ": no command came to drop within 10 s");
			}
			return System.nanoTime();
		});
	}

	@Test
	void blackholeThenHeal() throws Exception {
		rounds("blackhole", false, (round) -> {
			proxy().blackhole();
			Thread.sleep(SilentFaultBounds.BLACKHOLE.toMillis()); // the fault's length, not a wait for an outcome
			proxy().pass();
			return System.nanoTime();
		});
	}

	@Test
	void stallOfTheOpenConnections() throws Exception {
		rounds("stall", false, (round) -> {
			proxy().stallExisting(); // new connections pass from this moment: recovery is timed from it
			return System.nanoTime();
		});
	}

	@Test
	void droppedPushWithNearCache() throws Exception {
		rounds("push", true, (round) -> {
			String bait = keyWhere(true, "bait-" + round);
			plantValue(bait, bait + ":planted");
			long kept = this.near.stats().hits();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (this.near.stats().hits() <= kept && System.nanoTime() < deadline) {
				this.backend.get(bait); // read until the near cache serves it: it is tracked then
				Thread.sleep(2);
			}
			proxy().dropNextPush(PREFIX + bait);
			plantValue(bait, bait + ":changed");
			if (!proxy().awaitPushDropped(Duration.ofSeconds(5))) {
				throw new AssertionError("round " + round + ": no invalidation push for " + bait + " came to drop");
			}
			return System.nanoTime();
		});
	}

	// ---- the rounds ----------------------------------------------------------------------

	@FunctionalInterface
	interface Fault {

		/** Injects the fault and heals it where it heals; answers the moment recovery is timed from. */
		long inject(int round) throws Exception;

	}

	private void rounds(String fault, boolean nearCache, Fault injection) throws Exception {
		this.backend = build(nearCache);
		List<Long> recoveries = new ArrayList<>();
		long operations = 0;
		for (int round = 0; round < ROUNDS; round++) {
			String where = getClass().getSimpleName() + " " + fault + " round " + round;
			String probe = keyWhere(true, "probe-" + fault + "-" + round);
			plantValue(probe, probe + ":planted");
			List<String> others = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				String other = keyWhere(false, "other-" + fault + "-" + round + "-" + i);
				if (other == null) {
					break; // one node: nothing else to stay unaffected
				}
				plantValue(other, other + ":planted");
				others.add(other);
			}
			SilentFaultWorkload load = new SilentFaultWorkload(this.backend, round, fault);
			SoftAssertions softly = new SoftAssertions();
			OtherNodes otherNodes = new OtherNodes(others);
			try {
				load.start();
				awaitHits(load, where + ", before the fault");
				List<String> wrongProbe = new ArrayList<>();
				long before = awaitServed(probe, System.nanoTime(), Duration.ofSeconds(10), wrongProbe);
				if (before < 0) {
					throw new AssertionError(where + ": the probe was not served before the fault");
				}
				otherNodes.start();
				long healedAt = injection.inject(round);
				Duration margin = measureMargin();
				Duration bound = SilentFaultBounds.servedAgain(margin);
				long servedAt = awaitServed(probe, healedAt, bound.plusSeconds(3), wrongProbe);
				otherNodes.stop();
				if (servedAt > 0) {
					recoveries.add(servedAt - healedAt);
					awaitHits(load, where + ", after the heal");
				}
				load.stop();
				operations += load.operations.sum();
				softly.assertThat(load.problemCount())
					.as("%s: wrong-key values, exceptions, hangs; the first: %s", where, load.problems)
					.isZero();
				softly.assertThat(wrongProbe).as("%s: the probe answered another key's value", where).isEmpty();
				softly.assertThat(load.lostAcknowledged(this::directValue))
					.as("%s: acknowledged entries deleted or lost (read on Redis directly)", where)
					.isEmpty();
				softly.assertThat(servedAt)
					.as("%s: the faulty node's probe served again (planted on Redis directly)", where)
					.isPositive();
				if (servedAt > 0) {
					softly.assertThat(Duration.ofNanos(servedAt - healedAt))
						.as("%s: served again within 2T + back-off + margin (%d ms measured for a fresh connect+PING)",
								where, margin.toMillis())
						.isLessThanOrEqualTo(bound);
				}
				softly.assertThat(otherNodes.problems).as("%s: other nodes unaffected during the fault", where).isEmpty();
			}
			finally {
				otherNodes.stop();
				load.stop();
				proxy().pass();
			}
			softly.assertAll();
		}
		List<Long> sorted = new ArrayList<>(recoveries);
		Collections.sort(sorted);
		System.out.printf("[silent-fault] %s %s: %d rounds, %d operations, served again after (ms) %s%n",
				getClass().getSimpleName(), fault, ROUNDS, operations,
				sorted.stream().map(TimeUnit.NANOSECONDS::toMillis).toList());
	}

	private RedisCacheBackend<String> build(boolean nearCache) {
		// JSON: a reply that belongs to another command ("OK") is unreadable, which is what made CacheKit delete
		// acknowledged entries on a cluster (issue 19, C1); a string serializer would read it as a value
		RedisCacheBackendBuilder<String> builder = builderForTopology().serializer(CacheSerializers.json(String.class))
			.prefix(PREFIX)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(SilentFaultBounds.COMMAND_TIMEOUT)
			.connectTimeout(SilentFaultBounds.COMMAND_TIMEOUT);
		if (nearCache) {
			this.near = NearCache.defaults().layer();
			builder.layer(this.near);
		}
		RedisCacheBackend<String> built = builder.build();
		built.initialize();
		return built;
	}

	/** Sets {@code key} (without prefix) to {@code value} as the backend's JSON serializer stores it, on Redis directly. */
	private void plantValue(String key, String value) {
		plant(PREFIX + key, "\"" + value + "\"");
	}

	/**
	 * {@code key}'s value (without prefix) on Redis directly, decoded as the backend's JSON serializer
	 * stores it (values here need no escapes); {@code null} when absent; bytes that are not a JSON
	 * string come back marked as such.
	 */
	private String directValue(String key) {
		String raw = direct(PREFIX + key);
		if (raw == null) {
			return null;
		}
		return (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) ? raw.substring(1, raw.length() - 1)
				: "<not JSON: " + raw + ">";
	}

	/** A key (without prefix) on the faulty node or off it; {@code null} when no node is off it. */
	String keyWhere(boolean faulty, String base) {
		for (int i = 0; i < 10_000; i++) {
			String key = base + "-" + i;
			if (onFaultyNode(PREFIX + key) == faulty) {
				return key;
			}
		}
		return null;
	}

	/** The cost of a fresh connection and PING through the proxy, now: the margin of the bounds. */
	private Duration measureMargin() {
		long start = System.nanoTime();
		try (StatefulRedisConnection<String, String> connection = this.marginClient
			.connect(RedisURI.builder().withHost("127.0.0.1").withPort(proxy().port()).withTimeout(Duration.ofSeconds(5)).build())) {
			connection.sync().ping();
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Reads {@code probe} until the backend answers its planted value; answers when, or -1 when
	 * {@code within} of {@code from} passed first. Any other value answered is added to {@code wrong}.
	 */
	private long awaitServed(String probe, long from, Duration within, List<String> wrong) throws InterruptedException {
		long deadline = from + within.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Optional<String> value = this.backend.get(probe);
			if (value.isPresent() && value.get().equals(probe + ":planted")) {
				return System.nanoTime();
			}
			if (value.isPresent() && wrong.size() < 20) {
				wrong.add(probe + " answered '" + value.get() + "'");
			}
			Thread.sleep(5);
		}
		return -1;
	}

	private static void awaitHits(SilentFaultWorkload load, String when) throws InterruptedException {
		long before = load.hits.sum();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (load.hits.sum() < before + 5 && System.nanoTime() - deadline < 0) {
			Thread.sleep(5);
		}
		if (load.hits.sum() < before + 5) {
			load.problem("no real hits within 10 s " + when);
		}
	}

	/** Reads keys on the nodes the fault does not touch, all through the fault: each read must hit. */
	private final class OtherNodes {

		final List<String> keys;

		final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

		final LongAdder reads = new LongAdder();

		private volatile boolean stopping;

		private Thread thread;

		OtherNodes(List<String> keys) {
			this.keys = keys;
		}

		void start() {
			if (this.keys.isEmpty()) {
				return;
			}
			long started = System.nanoTime();
			this.thread = new Thread(() -> {
				while (!this.stopping) {
					for (String key : this.keys) {
						Optional<String> value = SilentFaultRounds.this.backend.get(key);
						this.reads.increment();
						if (!value.equals(Optional.of(key + ":planted")) && this.problems.size() < 20) {
							this.problems.add(key + " answered " + value + " at +"
									+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
						}
					}
					try {
						Thread.sleep(PROBE_EVERY.toMillis());
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "silent-fault-other-nodes");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.stopping = true;
			if (this.thread != null) {
				this.thread.join(TimeUnit.SECONDS.toMillis(10));
			}
		}

	}

}
