package io.cachekit.redis;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;

/**
 * Six threads driving get / set / getMany on both faces of a backend, each thread owning its keys
 * and using each one operation at a time, with values that embed their key ({@code key:seq}). It
 * records every value answered for another key (or never written to that key), every exception
 * and failed future (fail-open: there must be none), every call that hangs, and what each key's
 * last acknowledged write was, so that what Redis holds afterwards can be checked.
 */
final class SilentFaultWorkload {

	static final int THREADS = 6;

	static final int KEYS_PER_THREAD = 8;

	private static final String ABSENT = "<absent>";

	/** A call slower than this is a hang, whatever the fault (the contract's wait is the command timeout). */
	private static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(5);

	/** A pause between calls: a few hundred calls a round are enough, and two cores are shared. */
	private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final CacheBackend<String> backend;

	private final int round;

	private final AtomicLong sequence = new AtomicLong();

	/** The first {@link #SAMPLES} problems; {@link #problemCount()} counts them all. */
	final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

	private static final int SAMPLES = 25;

	private final LongAdder problemCount = new LongAdder();

	final LongAdder operations = new LongAdder();

	final LongAdder hits = new LongAdder();

	private final List<Thread> threads = new ArrayList<>();

	private final List<List<KeyState>> keys = new ArrayList<>();

	private volatile boolean stopping;

	SilentFaultWorkload(CacheBackend<String> backend, int round, String tag) {
		this.backend = backend;
		this.round = round;
		for (int t = 0; t < THREADS; t++) {
			List<KeyState> own = new ArrayList<>();
			for (int k = 0; k < KEYS_PER_THREAD; k++) {
				own.add(new KeyState(tag + "r" + round + "t" + t + "k" + k));
			}
			this.keys.add(own);
		}
	}

	/** How many problems there were (wrong-key values, exceptions, failed futures, hangs). */
	long problemCount() {
		return this.problemCount.sum();
	}

	void problem(String what) {
		this.problemCount.increment();
		if (this.problems.size() < SAMPLES) {
			this.problems.add(what);
		}
	}

	/** Every key of the workload (without the backend's prefix). */
	List<String> keys() {
		return this.keys.stream().flatMap(List::stream).map((s) -> s.key).toList();
	}

	void start() {
		for (int t = 0; t < THREADS; t++) {
			int owner = t;
			Thread thread = new Thread(() -> run(owner), "silent-fault-load-" + owner);
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
				problem(thread.getName() + " still running 20 s after stop: a call hung");
			}
		}
	}

	/**
	 * Keys whose state in Redis (read by {@code direct}, a plain client at the node's real port,
	 * with the backend's prefix) is neither the last acknowledged write nor one of the writes that
	 * answered {@code false} since (a write that timed out may have been applied).
	 */
	List<String> lostAcknowledged(Function<String, String> direct) {
		List<String> lost = new ArrayList<>();
		for (List<KeyState> own : this.keys) {
			for (KeyState state : own) {
				String raw = direct.apply(state.key);
				String now = (raw != null) ? raw : ABSENT;
				Set<String> allowed = new HashSet<>(state.unackedSinceAck);
				allowed.add(state.acked);
				if (!allowed.contains(now)) {
					lost.add(state.key + " holds " + now + ", acknowledged " + state.acked + ", unacknowledged since "
							+ state.unackedSinceAck);
				}
			}
		}
		return lost;
	}

	private void run(int owner) {
		Random random = new Random(this.round * 31L + owner);
		List<KeyState> own = this.keys.get(owner);
		try {
			while (!this.stopping) {
				LockSupport.parkNanos(PAUSE_NANOS);
				if (random.nextBoolean()) {
					syncOperation(random, own);
				}
				else {
					asyncBatch(random, own);
				}
			}
		}
		catch (Throwable ex) {
			problem(Thread.currentThread().getName() + " died: " + ex);
		}
	}

	private void syncOperation(Random random, List<KeyState> own) {
		int pick = random.nextInt(100);
		long start = System.nanoTime();
		String op = (pick < 40) ? "get" : (pick < 70) ? "set" : "getMany";
		try {
			if (pick < 40) {
				KeyState state = own.get(random.nextInt(own.size()));
				checkGet(state, this.backend.get(state.key), "sync get");
			}
			else if (pick < 70) {
				KeyState state = own.get(random.nextInt(own.size()));
				String value = nextValue(state);
				state.wrote(value, this.backend.set(state.key, value));
			}
			else {
				List<KeyState> some = distinct(random, own, 2 + random.nextInt(4));
				checkGetMany(some, this.backend.getMany(some.stream().map((s) -> s.key).toList()), "sync getMany");
			}
		}
		catch (RuntimeException ex) {
			problem("sync " + op + " threw " + ex);
		}
		this.operations.increment();
		took(start, "sync " + op);
	}

	private void asyncBatch(Random random, List<KeyState> own) {
		AsyncCacheBackend<String> cache = this.backend.async();
		List<KeyState> picked = distinct(random, own, 1 + random.nextInt(4));
		List<Runnable> checks = new ArrayList<>();
		List<String> labels = new ArrayList<>();
		List<CompletableFuture<?>> futures = new ArrayList<>();
		long start = System.nanoTime();
		for (KeyState state : picked) {
			if (random.nextInt(100) < 55) {
				CompletableFuture<Optional<String>> f = cache.get(state.key);
				futures.add(f);
				labels.add("async get " + state.key);
				checks.add(() -> checkGet(state, f.join(), "async get"));
			}
			else {
				String value = nextValue(state);
				CompletableFuture<Boolean> f = cache.set(state.key, value);
				futures.add(f);
				labels.add("async set " + state.key);
				checks.add(() -> state.wrote(value, f.join()));
			}
		}
		List<KeyState> rest = new ArrayList<>(own);
		rest.removeAll(picked);
		List<KeyState> readOnly = distinct(random, rest, 3);
		CompletableFuture<Map<String, String>> many = cache.getMany(readOnly.stream().map((s) -> s.key).toList());
		futures.add(many);
		labels.add("async getMany");
		checks.add(() -> checkGetMany(readOnly, many.join(), "async getMany"));
		for (int i = 0; i < futures.size(); i++) {
			try {
				futures.get(i).get(20, TimeUnit.SECONDS);
				checks.get(i).run();
			}
			catch (ExecutionException ex) {
				problem(labels.get(i) + " failed with " + ex.getCause());
				unknownOutcome(labels.get(i), picked);
			}
			catch (TimeoutException ex) {
				problem(labels.get(i) + " not answered within 20 s");
				unknownOutcome(labels.get(i), picked);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.operations.add(futures.size());
		took(start, "async batch");
	}

	/** A set whose outcome is unknown may or may not have been applied. */
	private static void unknownOutcome(String label, List<KeyState> picked) {
		for (KeyState state : picked) {
			if (label.equals("async set " + state.key)) {
				state.written.forEach(state.unackedSinceAck::add);
			}
		}
	}

	private String nextValue(KeyState state) {
		String value = state.key + ":" + this.sequence.incrementAndGet();
		state.written.add(value);
		return value;
	}

	private void took(long start, String what) {
		long took = System.nanoTime() - start;
		if (took > HANG_NANOS) {
			problem(what + " took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
		}
	}

	private static List<KeyState> distinct(Random random, List<KeyState> from, int count) {
		List<KeyState> copy = new ArrayList<>(from);
		Collections.shuffle(copy, random);
		return copy.subList(0, Math.min(count, copy.size()));
	}

	private void checkGet(KeyState state, Optional<String> value, String what) {
		value.ifPresent((v) -> checkValue(state, v, what));
	}

	private void checkGetMany(List<KeyState> asked, Map<String, String> found, String what) {
		Map<String, KeyState> byKey = new LinkedHashMap<>();
		asked.forEach((s) -> byKey.put(s.key, s));
		found.forEach((key, value) -> {
			KeyState state = byKey.get(key);
			if (state == null) {
				problem(what + " of " + byKey.keySet() + " answered a key not asked for: " + key + " -> " + value);
			}
			else {
				checkValue(state, value, what);
			}
		});
	}

	private void checkValue(KeyState state, String value, String what) {
		if (!value.startsWith(state.key + ":") || !state.written.contains(value)) {
			problem(what + " of " + state.key + " answered '" + value + "': WRONG KEY or never written there");
		}
		else {
			this.hits.increment();
		}
	}

	/** One key's history as its owning thread saw it. */
	private static final class KeyState {

		final String key;

		final Set<String> written = ConcurrentHashMap.newKeySet();

		/** The state the last acknowledged write left ({@link #ABSENT} at first: fresh keys). */
		volatile String acked = ABSENT;

		final Set<String> unackedSinceAck = ConcurrentHashMap.newKeySet();

		KeyState(String key) {
			this.key = key;
		}

		void wrote(String value, boolean stored) {
			if (stored) {
				this.acked = value;
				this.unackedSinceAck.clear();
			}
			else {
				this.unackedSinceAck.add(value);
			}
		}

	}

}
