package io.cachekit.near;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.SilentFaultBounds;
import io.cachekit.test.FaultProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19's second acceptance point for one topology (a subclass says which, and where its
 * {@link FaultProxy} sits; the near cache's keys live on the node behind it): the near cache (heartbeat
 * {@link SilentFaultBounds#HEARTBEAT}, command timeout T) while its connection goes silent, in both
 * outage modes, while another client (a plain connection to Redis' real port, never the proxy)
 * changes and deletes keys and runs {@code FLUSHALL}. Reader threads record every read with its
 * start time; a read is stale when it answers a value that the other client had replaced (or
 * deleted) before the read started.
 * <ul>
 * <li>{@code FLUSH} mode: the connection is reported suspect ({@code flushes(SUSPECT)} increments,
 * or {@code flushes(DISCONNECTED)} when a check condemned it outright)
 * within the stated bound of the fault, and no stale read starts after that moment.</li>
 * <li>Both modes: once {@link SilentFaultBounds#servedAgain} has passed after the heal, every read
 * answers Redis' current value (nothing read before the fault, no miss).</li>
 * </ul>
 * The last test documents the bound that remains for a single lost invalidation on a live
 * connection: the stale value is gone after {@code max-local-ttl} plus a margin.
 */
abstract class NearSilentFaultScenarios {

	/**
	 * Rounds of each scenario in each mode: two, as each round waits out the fault and the recovery
	 * bound (about 6 s), and eight scenario-mode pairs per topology keep the silent-fault set within
	 * minutes; {@code -Dcachekit.test.near-silent-rounds=10} repeats more.
	 */
	private static final int ROUNDS = Integer.getInteger("cachekit.test.near-silent-rounds", 2);

	private static final int KEYS = 8;

	/** Time for an invalidation to travel on a healthy connection: a read this soon after a write may still see the old value. */
	private static final Duration INVALIDATION_GRACE = Duration.ofMillis(100);

	/** How long every key is read after recovery to check it answers Redis' current value. */
	private static final Duration VERIFY_FOR = Duration.ofMillis(500);

	private static final String PREFIX = "nsf:";

	private final RedisClient marginClient = RedisClient.create();

	private RedisCacheBackend<String> cache;

	/** The proxy between the backend and the node the near cache's keys live on. */
	protected abstract FaultProxy proxy();

	/** The URL the backend connects with (the proxy is on the way to the faulty node). */
	protected abstract String url();

	/** Runs a command on the node that holds {@code fullKey} (or, without a key, on the faulty node), at its real port. */
	protected abstract Object direct(String fullKey, String... command);

	/** Whether {@code fullKey} lives on the node behind the proxy(). */
	protected abstract boolean onFaultyNode(String fullKey);

	@AfterEach
	void closeBackend() {
		if (this.cache != null) {
			this.cache.close();
		}
		this.marginClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		proxy().cancelPendingDrops();
		proxy().pass();
	}

	/** How the connection goes silent. */
	enum Scenario {

		/** A blackhole while every read is a near hit: no command goes out, only the heartbeat can notice. */
		ONLY_NEAR_HITS_IN_BLACKHOLE,

		/** A blackhole in which exactly one command goes out (a miss) and goes unanswered; then only near hits. */
		ONE_UNANSWERED_COMMAND_IN_BLACKHOLE,

		/** The connection stays up but loses one command (dropNextCommand); then only near hits. */
		ONE_DROPPED_COMMAND_THEN_NEAR_HITS,

		/** A blackhole while readers also miss (commands keep going out). */
		BLACKHOLE_WITH_TRAFFIC

	}

	static Stream<Arguments> scenarios() {
		return Stream.of(Scenario.values())
			.flatMap((s) -> Stream.of(OutageMode.values()).map((mode) -> Arguments.of(s, mode)));
	}

	@ParameterizedTest(name = "{0} in {1}")
	@MethodSource("scenarios")
	void aSilentConnectionServesNothingStale(Scenario scenario, OutageMode mode) throws Exception {
		NearCacheLayer layer = NearCache.defaults()
			.withHeartbeat(SilentFaultBounds.HEARTBEAT)
			.withOutageMode(mode)
			.layer();
		this.cache = backend(layer);
		for (int round = 0; round < ROUNDS; round++) {
			String where = scenario + " in " + mode + " round " + round;
			SoftAssertions softly = new SoftAssertions();
			History history = new History();
			List<String> keys = new ArrayList<>();
			for (int i = 0; keys.size() < KEYS; i++) {
				String key = "r" + round + scenario.ordinal() + mode.ordinal() + "k" + i;
				if (onFaultyNode(PREFIX + key)) {
					keys.add(key);
				}
			}
			for (String key : keys) {
				warm(layer, key, key + ":0", history);
			}
			Duration margin = measureMargin();
			Readers readers = new Readers(keys, scenario == Scenario.BLACKHOLE_WITH_TRAFFIC, round);
			SuspectWatch suspect = null;
			readers.start();
			try {
				Thread.sleep(SilentFaultBounds.HEARTBEAT.toMillis() * 2); // the heartbeat has run on a healthy connection
				suspect = new SuspectWatch(layer);
				long faultAt = System.nanoTime();
				long commandAt = -1;
				switch (scenario) {
					case ONLY_NEAR_HITS_IN_BLACKHOLE, BLACKHOLE_WITH_TRAFFIC -> proxy().blackhole();
					case ONE_UNANSWERED_COMMAND_IN_BLACKHOLE -> {
						proxy().blackhole();
						commandAt = System.nanoTime();
						this.cache.get(keyOnFaultyNode("unanswered-" + round)); // a miss: one GET goes out, unanswered
					}
					case ONE_DROPPED_COMMAND_THEN_NEAR_HITS -> {
						proxy().dropNextCommand();
						commandAt = System.nanoTime();
						this.cache.get(keyOnFaultyNode("unanswered-" + round)); // a miss: its GET is the command lost
						softly.assertThat(proxy().awaitDropped(Duration.ofSeconds(5))).as("%s: a command was dropped", where)
							.isTrue();
					}
				}
				otherClientMeanwhile(keys, history, faultAt);
				long suspectAt = suspect.stop();
				long healAt = System.nanoTime();
				if (scenario != Scenario.ONE_DROPPED_COMMAND_THEN_NEAR_HITS) {
					proxy().pass();
				}
				else {
					healAt = commandAt; // nothing to heal: the connection only lost one command
				}
				margin = max(margin, measureMargin());
				Duration recovery = SilentFaultBounds.servedAgain(margin);
				long verifyFrom = healAt + recovery.toNanos();
				while (System.nanoTime() - verifyFrom < 0) {
					Thread.sleep(5);
				}
				long verifyUntil = System.nanoTime() + VERIFY_FOR.toNanos();
				while (System.nanoTime() - verifyUntil < 0) {
					Thread.sleep(5);
				}
				readers.stop();
				String counts = readers.reads.size() + " reads, stats " + layer.stats();
				if (mode == OutageMode.FLUSH) {
					Duration silentBound = SilentFaultBounds.suspectWhenSilent(SilentFaultBounds.HEARTBEAT, margin);
					Duration commandBound = SilentFaultBounds.suspectAfterUnansweredCommand(margin);
					softly.assertThat(suspectAt)
						.as("%s: flushed at the moment of doubt (SUSPECT, or DISCONNECTED when condemned outright) during "
								+ "the fault (bounds: %d ms of the silence, %d ms of an "
								+ "unanswered command); %s", where, silentBound.toMillis(), commandBound.toMillis(), counts)
						.isPositive();
					if (suspectAt > 0) {
						if (scenario != Scenario.ONE_DROPPED_COMMAND_THEN_NEAR_HITS) {
							softly.assertThat(Duration.ofNanos(suspectAt - faultAt))
								.as("%s: suspect within heartbeat + T + margin of the silence", where)
								.isLessThanOrEqualTo(silentBound);
						}
						if (commandAt > 0) {
							softly.assertThat(Duration.ofNanos(suspectAt - commandAt))
								.as("%s: suspect within one T of the unanswered command's deadline (+ margin)", where)
								.isLessThanOrEqualTo(commandBound);
						}
						softly.assertThat(readers.stale(history, suspectAt))
							.as("%s: stale reads after the connection was reported suspect; %s", where, counts)
							.isEmpty();
					}
				}
				softly.assertThat(readers.wrongKey())
					.as("%s: reads that answered another key's value; %s", where, counts)
					.isEmpty();
				softly.assertThat(readers.stale(history, verifyFrom))
					.as("%s: stale reads once heal + %d ms (2T + back-off + margin) had passed; %s", where,
							recovery.toMillis(), counts)
					.isEmpty();
				softly.assertThat(readers.notCurrent(history, verifyFrom))
					.as("%s: reads that did not answer Redis' current value (stale or a miss) after recovery; %s", where,
							counts)
					.isEmpty();
			}
			finally {
				readers.stop();
				if (suspect != null) {
					suspect.stop();
				}
				proxy().pass();
			}
			softly.assertAll();
		}
	}

	@Test
	void aLostInvalidationOnALiveConnectionIsServedAtMostUntilTheMaxLocalTtl() throws Exception {
		Duration maxLocalTtl = Duration.ofSeconds(2);
		NearCacheLayer layer = NearCache.defaults()
			.withHeartbeat(SilentFaultBounds.HEARTBEAT)
			.withMaxLocalTtl(maxLocalTtl)
			.layer();
		this.cache = backend(layer);
		History history = new History();
		String pushed = keyOnFaultyNode("pushed");
		long keptAt = warm(layer, pushed, pushed + ":0", history);
		Duration margin = measureMargin();
		proxy().dropNextPush(PREFIX + pushed);
		direct(PREFIX + pushed, "SET", PREFIX + pushed, pushed + ":1");
		long changedAt = System.nanoTime();
		assertThat(proxy().awaitPushDropped(Duration.ofSeconds(5))).as("the invalidation push was dropped").isTrue();
		long staleUntil = changedAt;
		long staleReads = 0;
		long deadline = keptAt + maxLocalTtl.toNanos() + margin.toNanos() + INVALIDATION_GRACE.toNanos();
		long lastReadAt = System.nanoTime();
		Optional<String> read = this.cache.get(pushed);
		while (!read.equals(Optional.of(pushed + ":1")) && System.nanoTime() - deadline < 0) {
			staleReads++;
			staleUntil = System.nanoTime();
			Thread.sleep(5);
			lastReadAt = System.nanoTime();
			read = this.cache.get(pushed);
		}
		System.out.printf("[silent-fault] lost invalidation: old value served %d times for %d ms after the change "
				+ "(max-local-ttl %d ms); flushes(INVALIDATION_LOST)=%d%n", staleReads,
				TimeUnit.NANOSECONDS.toMillis(staleUntil - changedAt), maxLocalTtl.toMillis(),
				layer.stats().flushes(FlushCause.INVALIDATION_LOST));
		assertThat(read).as("the new value served within max-local-ttl (%d ms) + margin (%d ms) of keeping the old one; "
				+ "last read %d ms after keeping", maxLocalTtl.toMillis(), margin.toMillis(),
				TimeUnit.NANOSECONDS.toMillis(lastReadAt - keptAt))
			.contains(pushed + ":1");
		// and it stays fresh: nothing brings the old value back
		for (int i = 0; i < 20; i++) {
			assertThat(this.cache.get(pushed)).contains(pushed + ":1");
		}
	}

	// ---- the other client during the fault -----------------------------------------------

	/**
	 * While the fault lasts ({@link SilentFaultBounds#BLACKHOLE}), another client changes, deletes,
	 * runs FLUSHALL and sets again, at Redis' real port.
	 */
	private void otherClientMeanwhile(List<String> keys, History history, long faultAt)
			throws InterruptedException {
		long end = faultAt + SilentFaultBounds.BLACKHOLE.toNanos();
		long changeAt = faultAt + TimeUnit.MILLISECONDS.toNanos(50);
		long flushAt = faultAt + TimeUnit.MILLISECONDS.toNanos(700);
		boolean changed = false;
		boolean flushed = false;
		while (System.nanoTime() - end < 0) {
			long now = System.nanoTime();
			if (!changed && now - changeAt >= 0) {
				changed = true;
				for (int i = 0; i < keys.size(); i++) {
					String key = keys.get(i);
					if (i < keys.size() / 2) {
						direct(PREFIX + key, "SET", PREFIX + key, key + ":1");
						history.set(key, key + ":1");
					}
					else if (i < keys.size() * 3 / 4) {
						direct(PREFIX + key, "DEL", PREFIX + key);
						history.set(key, null);
					}
				}
			}
			if (!flushed && now - flushAt >= 0) {
				flushed = true;
				direct(null, "FLUSHALL");
				keys.forEach((key) -> history.set(key, null));
				for (String key : keys.subList(0, 2)) {
					direct(PREFIX + key, "SET", PREFIX + key, key + ":2");
					history.set(key, key + ":2");
				}
			}
			Thread.sleep(1);
		}
	}

	// ---- fixtures ------------------------------------------------------------------------

	private RedisCacheBackend<String> backend(NearCacheLayer layer) {
		RedisCacheBackend<String> backend = RedisCacheBackend.builder(url())
			.serializer(CacheSerializers.string())
			.prefix(PREFIX)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(SilentFaultBounds.COMMAND_TIMEOUT)
			.connectTimeout(SilentFaultBounds.COMMAND_TIMEOUT)
			.layer(layer)
			.build();
		backend.initialize();
		return backend;
	}

	/** Sets {@code key} on Redis directly and reads it until the near cache serves it; answers when it was kept. */
	private long warm(NearCacheLayer layer, String key, String value, History history) throws InterruptedException {
		direct(PREFIX + key, "SET", PREFIX + key, value);
		history.set(key, value);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		long keptAt = System.nanoTime();
		while (System.nanoTime() - deadline < 0) {
			long hits = layer.stats().hits();
			long readAt = System.nanoTime();
			Optional<String> read = this.cache.get(key);
			if (read.equals(Optional.of(value)) && layer.stats().hits() > hits) {
				return keptAt;
			}
			keptAt = readAt; // the read before a hit is the one that kept it
			Thread.sleep(2);
		}
		throw new AssertionError(key + " was not kept by the near cache within 5 s; " + layer.stats());
	}

	/** A key (without prefix) named after {@code base} that lives on the faulty node. */
	String keyOnFaultyNode(String base) {
		for (int i = 0;; i++) {
			String key = base + "-" + i;
			if (onFaultyNode(PREFIX + key)) {
				return key;
			}
		}
	}

	/** The cost of a fresh connection and PING through the proxy, now. */
	private Duration measureMargin() {
		long start = System.nanoTime();
		try (StatefulRedisConnection<String, String> connection = this.marginClient
			.connect(RedisURI.builder().withHost("127.0.0.1").withPort(proxy().port()).withTimeout(Duration.ofSeconds(5)).build())) {
			connection.sync().ping();
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/** Each key's values as Redis held them, with when each was replaced ({@code null}: absent). */
	private static final class History {

		private final Map<String, List<Version>> byKey = new LinkedHashMap<>();

		/** Records {@code value} (or absence) as current from now: call once Redis has answered the write. */
		synchronized void set(String key, String value) {
			this.byKey.computeIfAbsent(key, (k) -> new ArrayList<>()).add(new Version(value, System.nanoTime()));
		}

		/** The value current at {@code at} ({@code null}: absent). */
		synchronized String currentAt(String key, long at) {
			String current = null;
			for (Version version : this.byKey.getOrDefault(key, List.of())) {
				if (version.since() - at <= 0) {
					current = version.value();
				}
			}
			return current;
		}

		/** When {@code value} of {@code key} was replaced, or -1 while it is current (or never was). */
		synchronized long replacedAt(String key, String value) {
			List<Version> versions = this.byKey.getOrDefault(key, List.of());
			for (int i = 0; i < versions.size() - 1; i++) {
				if (value.equals(versions.get(i).value())) {
					return versions.get(i + 1).since();
				}
			}
			return -1;
		}

	}

	/**
	 * Watches the flushes at a moment of doubt from its creation on its own thread, to time the
	 * first one closely.
	 */
	private static final class SuspectWatch {

		/**
		 * Flushes at a moment of doubt: the connection reported suspect, or condemned outright (a
		 * check answered by another command's reply condemns at once, flushing as a loss).
		 */
		private static long doubts(NearCacheLayer layer) {
			return layer.stats().flushes(FlushCause.SUSPECT) + layer.stats().flushes(FlushCause.DISCONNECTED);
		}

		private final Thread thread;

		private volatile long suspectAt = -1;

		private volatile boolean stopping;

		SuspectWatch(NearCacheLayer layer) {
			long before = doubts(layer);
			this.thread = new Thread(() -> {
				while (!this.stopping && this.suspectAt < 0) {
					if (doubts(layer) > before) {
						this.suspectAt = System.nanoTime();
					}
					try {
						Thread.sleep(1);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "near-silent-suspect-watch");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		/** Stops watching; answers when the first flush at a moment of doubt was seen, or -1. */
		long stop() throws InterruptedException {
			this.stopping = true;
			this.thread.join(TimeUnit.SECONDS.toMillis(5));
			return this.suspectAt;
		}

	}

	/** A value of a key ({@code null}: absent) and when Redis had it (the write had been answered). */
	private record Version(String value, long since) {
	}

	/** One read: when it started, what it answered. */
	private record Read(long startedAt, String key, Optional<String> value) {
	}

	/** Threads reading the warmed keys (near hits while they are kept), recording every read. */
	private final class Readers {

		final List<String> keys;

		final boolean traffic;

		final int round;

		final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();

		final List<Thread> threads = new ArrayList<>();

		volatile boolean stopping;

		Readers(List<String> keys, boolean traffic, int round) {
			this.keys = keys;
			this.traffic = traffic;
			this.round = round;
		}

		void start() {
			for (int t = 0; t < 2; t++) {
				int offset = t;
				Thread thread = new Thread(() -> {
					int i = offset;
					while (!this.stopping) {
						String key = this.keys.get(i++ % this.keys.size());
						long startedAt = System.nanoTime();
						this.reads.add(new Read(startedAt, key, NearSilentFaultScenarios.this.cache.get(key)));
						if (this.traffic) {
							NearSilentFaultScenarios.this.cache.get(keyOnFaultyNode("traffic-" + this.round + "-" + (i % 50)));
						}
						try {
							Thread.sleep(1);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}, "near-silent-reader-" + t);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		void stop() throws InterruptedException {
			this.stopping = true;
			for (Thread thread : this.threads) {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
		}

		/** Reads started after {@code from} that answered a value replaced more than the grace before they started. */
		List<String> stale(History history, long from) {
			List<String> stale = new ArrayList<>();
			for (Read read : this.reads) {
				if (read.startedAt() - from < 0 || read.value().isEmpty()) {
					continue;
				}
				long replacedAt = history.replacedAt(read.key(), read.value().get());
				if (replacedAt != -1 && read.startedAt() - replacedAt > INVALIDATION_GRACE.toNanos() && stale.size() < 10) {
					stale.add(read.key() + " answered '" + read.value().get() + "' " + TimeUnit.NANOSECONDS
						.toMillis(read.startedAt() - replacedAt) + " ms after it was replaced (at +"
							+ TimeUnit.NANOSECONDS.toMillis(read.startedAt() - from) + " ms)");
				}
			}
			return stale;
		}

		/** Reads that answered a value not of their key (values embed their key). */
		List<String> wrongKey() {
			return this.reads.stream()
				.filter((read) -> read.value().isPresent() && !read.value().get().startsWith(read.key() + ":"))
				.limit(10)
				.map((read) -> read.key() + " answered '" + read.value().get() + "'")
				.toList();
		}

		/** Reads started after {@code from} whose answer was not Redis' current value (a miss of a present key included). */
		List<String> notCurrent(History history, long from) {
			List<String> wrong = new ArrayList<>();
			for (Read read : this.reads) {
				if (read.startedAt() - from < 0) {
					continue;
				}
				String current = history.currentAt(read.key(), read.startedAt());
				if (!read.value().equals(Optional.ofNullable(current)) && wrong.size() < 10) {
					wrong.add(read.key() + " answered " + read.value() + ", Redis holds " + current);
				}
			}
			return wrong;
		}

	}

}
