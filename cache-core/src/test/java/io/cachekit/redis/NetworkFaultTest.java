package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.internal.EngineInternals;
import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * The backend behind a {@link FaultProxy}, in fail-open with a 300 ms command timeout and the
 * default circuit breaker, while six threads drive get / set / getMany / add / delete / incr
 * through both faces with values that embed their key. Each fault is injected in ten rounds of
 * one test method, and every round must show: no exception from a cache-data operation (incr may
 * throw {@link CacheException}: counted apart), no value for another key (every value and every
 * counter checked against its key), the backend serving real hits again within
 * {@link #RECOVERY_BOUND} after the heal, and nothing acknowledged lost (checked on Redis
 * directly, not through the proxy).
 * <p>
 * Keys are owned by one thread each and used by it one operation at a time, so what Redis must
 * hold at the end is known: the last acknowledged write, or the effect of one of the writes that
 * answered {@code false} since (a write that timed out may have been applied). With added latency,
 * a write that timed out may even land after a later acknowledged one (its bytes were on their
 * way), so there any unacknowledged write of the round is allowed too.
 */
class NetworkFaultTest {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	/** After the heal, real hits again within this (measured p50/max are printed per fault). */
	static final Duration RECOVERY_BOUND = Duration.ofSeconds(6);

	/** No single call may wait longer than this (the contract says the command timeout; this is generous for a loaded machine). */
	private static final Duration CALL_BOUND = Duration.ofSeconds(3);

	private static final int ROUNDS = 10;

	private static final int THREADS = 6;

	private static final int KEYS_PER_THREAD = 8;

	private static final int COUNTERS_PER_THREAD = 2;

	private static final String PREFIX = "nf:";

	private static final String ABSENT = "<absent>";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private FaultProxy proxy;

	private RedisCacheBackend<String> backend;

	@BeforeEach
	void start() {
		Resp.call(redis.process().host(), redis.process().port(), "FLUSHALL");
		this.proxy = FaultProxy.start(redis.url());
		this.backend = RedisCacheBackend.builder(this.proxy.url())
			.serializer(CacheSerializers.string())
			.prefix(PREFIX)
			.commandTimeout(TIMEOUT)
			.build();
		this.backend.initialize();
	}

	@AfterEach
	void stop() {
		if (this.backend != null) {
			this.backend.shutdown();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	// Failed before the fix in ReplyFence (about 1 run in 2): when the breaker opened before a fence timed out
	// a second time, the blackholed connection outlived the heal out of step (the commands discarded meanwhile
	// never answered), and it was never given up: replies shifted onto those commands still counted as "replies
	// of any kind", so every later fence that timed out saw a "busy" connection. No hit ever again.
	@Test
	void blackholeThenHeal() throws Exception {
		rounds("blackhole", true, (round) -> {
			this.proxy.blackhole();
			Thread.sleep(1000); // more than twice the command timeout: the connection must be given up
			this.proxy.pass();
			return System.nanoTime();
		});
	}

	// Failed before the fix in ReplyFence (1 run in 4 here): "async get of r1t3k6 answered 'r1t3k4:14'" and
	// "get of r1t3k3 answered 'OK'". A fence sent from the I/O thread (the previous fence's completion sends
	// the next) is written at once, ahead of commands other threads had queued and counted; it claimed them,
	// and when a command was lost between it and them their shifted replies were handed out as proven.
	@Test
	void droppedCommands() throws Exception {
		rounds("dropNextCommand", true, (round) -> {
			int drops = 1 + round % 3;
			Random random = new Random(round);
			for (int i = 0; i < drops; i++) {
				this.proxy.dropNextCommand();
				assertThat(this.proxy.awaitDropped(Duration.ofSeconds(10))).as("drop %d of round %d happened", i, round)
					.isTrue();
				Thread.sleep(random.nextInt(150));
			}
			return System.nanoTime();
		});
	}

	@Test
	void existingConnectionStallsWhileNewOnesPass() throws Exception {
		rounds("stallExisting", true, (round) -> {
			this.proxy.stallExisting();
			return System.nanoTime();
		});
	}

	@Test
	void latencyAboveTheTimeoutThenBackToZero() throws Exception {
		rounds("latency", false, (round) -> {
			this.proxy.latency(Duration.ofMillis((round % 2 == 0) ? 400 : 1000));
			Thread.sleep(1200);
			this.proxy.latency(Duration.ZERO);
			return System.nanoTime();
		});
	}

	@Test
	void connectionsReset() throws Exception {
		rounds("resetAll", true, (round) -> {
			this.proxy.resetAll();
			if (round % 3 == 2) {
				// again, while the backend is reconnecting
				Thread.sleep(20 + round);
				this.proxy.resetAll();
			}
			return System.nanoTime();
		});
	}

	// ---- the rounds ----------------------------------------------------------------------

	@FunctionalInterface
	interface Fault {

		/** Injects the fault (and heals it, where it has a heal); answers when recovery is timed from. */
		long inject(int round) throws Exception;

	}

	private void rounds(String fault, boolean strictAcks, Fault injection) throws Exception {
		List<Long> recoveries = new ArrayList<>();
		Totals totals = new Totals();
		for (int round = 0; round < ROUNDS; round++) {
			String probeKey = "probe-" + fault + "-" + round;
			String probeValue = probeKey + ":planted";
			Resp.call(redis.process().host(), redis.process().port(), "SET", PREFIX + probeKey, probeValue);
			Workload load = new Workload(round, strictAcks);
			load.start();
			try {
				awaitHits(load, "before the fault, round " + round);
				long accepted = this.proxy.connectionsAccepted();
				long failuresBefore = failures();
				long from = injection.inject(round);
				long recovered = awaitProbe(probeKey, probeValue, from, fault, round);
				recoveries.add(recovered - from);
				awaitHits(load, "after the heal, round " + round);
				Thread.sleep(100);
				load.stop();
				String where = fault + " round " + round;
				assertThat(load.problems).as("%s: exceptions, wrong-key values and hangs", where).isEmpty();
				load.verifyAcknowledged(where);
				if (!fault.equals("latency")) {
					assertThat(this.proxy.connectionsAccepted()).as("%s: the bad connection was replaced", where)
						.isGreaterThan(accepted);
				}
				assertThat(failures()).as("%s: the fault was felt (backend failures counted)", where)
					.isGreaterThan(failuresBefore);
				totals.add(load);
			}
			finally {
				load.stop();
			}
		}
		List<Long> sorted = new ArrayList<>(recoveries);
		Collections.sort(sorted);
		long p50 = sorted.get(sorted.size() / 2);
		long max = sorted.get(sorted.size() - 1);
		System.out.printf(
				"[network-fault] %s: %d rounds, recovery p50=%d ms max=%d ms (all: %s ms); %d operations, %d hits, "
						+ "%d incr CacheExceptions, %d acknowledged keys checked (%d strictly), slowest call %d ms%n",
				fault, ROUNDS, TimeUnit.NANOSECONDS.toMillis(p50), TimeUnit.NANOSECONDS.toMillis(max),
				sorted.stream().map(TimeUnit.NANOSECONDS::toMillis).toList(), totals.operations, totals.hits,
				totals.incrFailures, totals.keysChecked, totals.keysStrict, TimeUnit.NANOSECONDS.toMillis(totals.slowest));
		assertThat(Duration.ofNanos(max)).as("%s: slowest recovery", fault).isLessThan(RECOVERY_BOUND);
	}

	/** What the backend's connection looks like, for failure messages. */
	private String state() {
		return EngineInternals.connectionState(this.backend.engine()) + ", breaker open="
				+ this.backend.diagnostics().isCircuitOpen() + ", proxy connections open=" + this.proxy.connectionsOpen()
				+ " accepted=" + this.proxy.connectionsAccepted();
	}

	private long failures() {
		return EngineInternals.failuresTotal(this.backend.engine());
	}

	/** Waits for the probe key (planted on Redis directly) to be served; answers when it was. */
	private long awaitProbe(String key, String expected, long from, String fault, int round) throws InterruptedException {
		long deadline = from + RECOVERY_BOUND.toNanos() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() - deadline < 0) {
			Optional<String> value = this.backend.get(key);
			if (value.isPresent()) {
				assertThat(value.get()).as("%s round %d: the probe's value", fault, round).isEqualTo(expected);
				return System.nanoTime();
			}
			Thread.sleep(5);
		}
		throw new AssertionError(fault + " round " + round + ": no hit for the probe within "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from) + " ms of the heal; " + state());
	}

	private static void awaitHits(Workload load, String when) throws InterruptedException {
		long before = load.hits.sum();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (load.hits.sum() < before + 5 && System.nanoTime() - deadline < 0) {
			Thread.sleep(5);
		}
		assertThat(load.hits.sum()).as("the workload got real hits %s", when).isGreaterThanOrEqualTo(before + 5);
	}

	private static final class Totals {

		long operations;

		long hits;

		long incrFailures;

		long keysChecked;

		long keysStrict;

		long slowest;

		void add(Workload load) {
			this.operations += load.operations.sum();
			this.hits += load.hits.sum();
			this.incrFailures += load.incrFailures.sum();
			this.keysChecked += load.keysChecked;
			this.keysStrict += load.keysStrict;
			this.slowest = Math.max(this.slowest, load.slowest.get());
		}

	}

	// ---- the workload --------------------------------------------------------------------

	/** One key's history as its owning thread saw it. */
	private static final class KeyState {

		final String key;

		final Set<String> written = new HashSet<>();

		/** The state the last acknowledged write left ({@link #ABSENT} at first: fresh keys). */
		String acked = ABSENT;

		final Set<String> unackedSinceAck = new HashSet<>();

		final Set<String> unackedEver = new HashSet<>();

		KeyState(String key) {
			this.key = key;
		}

		void acknowledged(String state) {
			this.acked = state;
			this.unackedSinceAck.clear();
		}

		void unacknowledged(String state) {
			this.unackedSinceAck.add(state);
			this.unackedEver.add(state);
		}

	}

	private static final class CounterState {

		final String key;

		final long base;

		long attempts;

		long lastAck;

		CounterState(String key, long base) {
			this.key = key;
			this.base = base;
			this.lastAck = base;
		}

	}

	private final class Workload {

		final int round;

		final boolean strictAcks;

		final AtomicLong sequence = new AtomicLong();

		final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

		final LongAdder operations = new LongAdder();

		final LongAdder hits = new LongAdder();

		final LongAdder incrFailures = new LongAdder();

		final AtomicLong slowest = new AtomicLong();

		final List<Thread> threads = new ArrayList<>();

		final List<List<KeyState>> keys = new ArrayList<>();

		final List<List<CounterState>> counters = new ArrayList<>();

		volatile boolean stopping;

		long keysChecked;

		long keysStrict;

		Workload(int round, boolean strictAcks) {
			this.round = round;
			this.strictAcks = strictAcks;
			for (int t = 0; t < THREADS; t++) {
				List<KeyState> own = new ArrayList<>();
				for (int k = 0; k < KEYS_PER_THREAD; k++) {
					own.add(new KeyState("r" + round + "t" + t + "k" + k));
				}
				this.keys.add(own);
				List<CounterState> ownCounters = new ArrayList<>();
				for (int c = 0; c < COUNTERS_PER_THREAD; c++) {
					ownCounters.add(new CounterState("r" + round + "t" + t + "c" + c,
							(long) (t * COUNTERS_PER_THREAD + c + 1) * 1_000_000_000L));
				}
				this.counters.add(ownCounters);
			}
		}

		void start() {
			for (int t = 0; t < THREADS; t++) {
				int owner = t;
				Thread thread = new Thread(() -> run(owner), "nf-load-" + owner);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		void stop() throws InterruptedException {
			this.stopping = true;
			for (Thread thread : this.threads) {
				thread.join(TimeUnit.SECONDS.toMillis(20));
				if (thread.isAlive()) {
					this.problems.add(thread.getName() + " still running 20 s after stop: a call hung");
				}
			}
		}

		private void run(int owner) {
			Random random = new Random(this.round * 31L + owner);
			List<KeyState> own = this.keys.get(owner);
			List<CounterState> ownCounters = this.counters.get(owner);
			try {
				while (!this.stopping) {
					// a breath between calls: an open breaker answers in microseconds, and six spinning threads would
					// starve the I/O threads of a two-core machine
					java.util.concurrent.locks.LockSupport.parkNanos(200_000);
					if (random.nextBoolean()) {
						syncOperation(random, own, ownCounters);
					}
					else {
						asyncBatch(random, own, ownCounters);
					}
				}
			}
			catch (Throwable ex) {
				this.problems.add(Thread.currentThread().getName() + " died: " + ex);
			}
		}

		private String nextValue(KeyState state) {
			String value = state.key + ":" + this.sequence.incrementAndGet();
			state.written.add(value);
			return value;
		}

		private void syncOperation(Random random, List<KeyState> own, List<CounterState> ownCounters) {
			CacheBackend<String> cache = NetworkFaultTest.this.backend;
			int pick = random.nextInt(100);
			long start = System.nanoTime();
			String op = "?";
			try {
				if (pick < 30) {
					op = "get";
					KeyState state = own.get(random.nextInt(own.size()));
					checkGet(state, cache.get(state.key), "sync");
				}
				else if (pick < 48) {
					op = "set";
					KeyState state = own.get(random.nextInt(own.size()));
					String value = nextValue(state);
					wrote(state, value, cache.set(state.key, value));
				}
				else if (pick < 63) {
					op = "getMany";
					List<KeyState> some = distinct(random, own, 2 + random.nextInt(3));
					checkGetMany(some, cache.getMany(some.stream().map((s) -> s.key).toList()), "sync");
				}
				else if (pick < 73) {
					op = "add";
					KeyState state = own.get(random.nextInt(own.size()));
					String value = nextValue(state);
					added(state, value, cache.add(state.key, value));
				}
				else if (pick < 83) {
					op = "delete";
					KeyState state = own.get(random.nextInt(own.size()));
					deleted(state, cache.delete(state.key));
				}
				else {
					op = "incr";
					CounterState counter = ownCounters.get(random.nextInt(ownCounters.size()));
					counter.attempts++;
					try {
						counted(counter, cache.incr(counter.key, 1, counter.base, null), "sync");
					}
					catch (CacheException ex) {
						if (!ex.getErrorCode().isBackendFailure()) {
							throw ex;
						}
						this.incrFailures.increment();
					}
				}
			}
			catch (RuntimeException ex) {
				this.problems.add("sync " + op + " threw " + ex);
			}
			took(start, "sync " + op);
		}

		private void asyncBatch(Random random, List<KeyState> own, List<CounterState> ownCounters) {
			AsyncCacheBackend<String> cache = NetworkFaultTest.this.backend.async();
			List<KeyState> picked = distinct(random, own, 1 + random.nextInt(4));
			List<Runnable> checks = new ArrayList<>();
			Map<String, CompletableFuture<?>> futures = new LinkedHashMap<>();
			long start = System.nanoTime();
			// one operation per picked key, all in flight at once; then one getMany over the rest
			for (KeyState state : picked) {
				int pick = random.nextInt(100);
				if (pick < 40) {
					CompletableFuture<Optional<String>> f = cache.get(state.key);
					futures.put("get " + state.key, f);
					checks.add(() -> checkGet(state, f.join(), "async"));
				}
				else if (pick < 70) {
					String value = nextValue(state);
					CompletableFuture<Boolean> f = cache.set(state.key, value);
					futures.put("set " + state.key, f);
					checks.add(() -> wrote(state, value, f.join()));
				}
				else if (pick < 85) {
					String value = nextValue(state);
					CompletableFuture<Boolean> f = cache.add(state.key, value);
					futures.put("add " + state.key, f);
					checks.add(() -> added(state, value, f.join()));
				}
				else {
					CompletableFuture<Boolean> f = cache.delete(state.key);
					futures.put("delete " + state.key, f);
					checks.add(() -> deleted(state, f.join()));
				}
			}
			List<KeyState> rest = new ArrayList<>(own);
			rest.removeAll(picked);
			List<KeyState> readOnly = distinct(random, rest, 2);
			CompletableFuture<Map<String, String>> many = cache.getMany(readOnly.stream().map((s) -> s.key).toList());
			futures.put("getMany", many);
			checks.add(() -> checkGetMany(readOnly, many.join(), "async"));
			CounterState counter = ownCounters.get(random.nextInt(ownCounters.size()));
			counter.attempts++;
			CompletableFuture<Long> incr = cache.incr(counter.key, 1, counter.base, null);
			boolean[] failed = new boolean[futures.size() + 1];
			int i = 0;
			for (Map.Entry<String, CompletableFuture<?>> entry : futures.entrySet()) {
				try {
					entry.getValue().get(20, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					this.problems.add("async " + entry.getKey() + " failed with " + ex.getCause());
					failed[i] = true;
				}
				catch (TimeoutException ex) {
					this.problems.add("async " + entry.getKey() + " not answered within 20 s");
					failed[i] = true;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				i++;
			}
			try {
				counted(counter, incr.get(20, TimeUnit.SECONDS), "async");
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof CacheException cacheEx && cacheEx.getErrorCode().isBackendFailure()) {
					this.incrFailures.increment();
				}
				else {
					this.problems.add("async incr failed with " + ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				this.problems.add("async incr not answered within 20 s");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			for (int j = 0; j < checks.size(); j++) {
				if (!failed[j]) {
					checks.get(j).run();
				}
				else {
					// outcome unknown: whatever it was meant to write may be there
					markUnknown(futures.keySet().toArray(String[]::new)[j], picked);
				}
			}
			this.operations.add(futures.size() + 1L);
			took(start, "async batch");
		}

		private void markUnknown(String label, List<KeyState> picked) {
			for (KeyState state : picked) {
				if (label.endsWith(" " + state.key)) {
					state.written.forEach(state::unacknowledged);
					state.unacknowledged(ABSENT);
				}
			}
		}

		private void took(long start, String what) {
			long took = System.nanoTime() - start;
			this.slowest.accumulateAndGet(took, Math::max);
			if (what.startsWith("sync")) {
				this.operations.increment();
			}
			if (took > CALL_BOUND.toNanos()) {
				this.problems.add(what + " took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
			}
		}

		private List<KeyState> distinct(Random random, List<KeyState> from, int count) {
			List<KeyState> copy = new ArrayList<>(from);
			Collections.shuffle(copy, random);
			return copy.subList(0, Math.min(count, copy.size()));
		}

		private void checkGet(KeyState state, Optional<String> value, String face) {
			if (value.isPresent()) {
				checkValue(state, value.get(), face + " get");
			}
		}

		private void checkGetMany(List<KeyState> asked, Map<String, String> found, String face) {
			Map<String, KeyState> byKey = new LinkedHashMap<>();
			asked.forEach((s) -> byKey.put(s.key, s));
			found.forEach((key, value) -> {
				KeyState state = byKey.get(key);
				if (state == null) {
					this.problems.add(face + " getMany of " + byKey.keySet() + " answered a key not asked for: " + key);
				}
				else {
					checkValue(state, value, face + " getMany");
				}
			});
		}

		private void checkValue(KeyState state, String value, String what) {
			if (!value.startsWith(state.key + ":") || !state.written.contains(value)) {
				this.problems.add(what + " of " + state.key + " answered '" + value + "': WRONG KEY or never written there");
			}
			else {
				this.hits.increment();
			}
		}

		private void wrote(KeyState state, String value, boolean stored) {
			if (stored) {
				state.acknowledged(value);
			}
			else {
				state.unacknowledged(value);
			}
		}

		private void added(KeyState state, String value, boolean stored) {
			wrote(state, value, stored);
		}

		private void deleted(KeyState state, boolean removed) {
			if (removed) {
				state.acknowledged(ABSENT);
			}
			else {
				// removed nothing (already absent), or it failed: either way it may be absent now
				state.unacknowledged(ABSENT);
			}
		}

		private void counted(CounterState counter, long value, String face) {
			if (value <= counter.lastAck || value > counter.base + counter.attempts) {
				this.problems.add(face + " incr of " + counter.key + " answered " + value + " (last acknowledged "
						+ counter.lastAck + ", at most " + (counter.base + counter.attempts) + "): WRONG KEY or lost step");
			}
			else {
				counter.lastAck = value;
			}
		}

		/** Compares what Redis holds now (asked directly) with what was acknowledged. */
		void verifyAcknowledged(String where) {
			List<String> lost = new ArrayList<>();
			for (List<KeyState> own : this.keys) {
				for (KeyState state : own) {
					Object raw = Resp.call(redis.process().host(), redis.process().port(), "GET", PREFIX + state.key);
					String now = (raw != null) ? raw.toString() : ABSENT;
					Set<String> allowed = new HashSet<>(this.strictAcks ? state.unackedSinceAck : state.unackedEver);
					allowed.add(state.acked);
					this.keysChecked++;
					if (allowed.size() == 1) {
						this.keysStrict++;
					}
					if (!allowed.contains(now)) {
						lost.add(state.key + " holds " + now + ", acknowledged " + state.acked + ", or one of unacknowledged "
								+ allowed);
					}
				}
			}
			for (List<CounterState> own : this.counters) {
				for (CounterState counter : own) {
					Object raw = Resp.call(redis.process().host(), redis.process().port(), "GET", PREFIX + counter.key);
					long now = (raw != null) ? Long.parseLong(raw.toString()) : counter.base;
					if (now < counter.lastAck || now > counter.base + counter.attempts) {
						lost.add(counter.key + " holds " + now + ", acknowledged " + counter.lastAck + ", attempts "
								+ counter.attempts + " from " + counter.base);
					}
				}
			}
			assertThat(lost).as("%s: acknowledged writes lost", where).isEmpty();
		}

	}

}
