package io.cachekit.inmemory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;

/**
 * The keyspace of one in-memory "Redis server": what {@link InMemoryCacheBackend}s with different
 * prefixes share, as several backends share one Redis. Keys here are full keys (prefix
 * included); values are bytes (strings) or sets of strings, each with an optional expiry measured
 * by this store's {@link Clock}.
 *
 * <p>Thread-safe. A single-key operation is one atomic per-key update of a
 * {@link ConcurrentHashMap}; operations on several keys ({@code getMany}, {@code setMany},
 * {@code deleteMany}, pattern deletion) hold the store exclusively, so like MULTI/EXEC or a Lua
 * script nobody sees half of them. Expired entries vanish when they are next touched, and in
 * every walk of the keyspace.
 *
 * <p>The public methods look at and plant raw entries, bypassing every backend: for tests that
 * check what was stored ({@code store.keys()}, {@code store.ttl("cache:k")}) or plant bytes a
 * serializer cannot read.
 */
public final class InMemoryStore {

	private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

	private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

	/** Shared by single-key operations, exclusive for multi-key ones. */
	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final Clock clock;

	/** A store on the system clock. */
	public InMemoryStore() {
		this(Clock.systemUTC());
	}

	/**
	 * A store whose expiry follows {@code clock} (for example a {@link ManualClock}).
	 * @param clock the clock that decides expiry
	 */
	public InMemoryStore(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * The clock that decides expiry.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	// ---- inspection and planting (full keys) -------------------------------------------------

	/**
	 * The live keys, prefixes included, sorted.
	 * @return the live keys
	 */
	public Set<String> keys() {
		long now = now();
		Set<String> live = new TreeSet<>();
		this.entries.forEach((key, entry) -> {
			if (entry.isLive(now)) {
				live.add(key);
			}
		});
		return Collections.unmodifiableSet(live);
	}

	/**
	 * How many live keys the store holds.
	 * @return the number of live keys
	 */
	public int size() {
		return keys().size();
	}

	/**
	 * Whether the store holds {@code key} (prefix included).
	 * @param key the full key, prefix included
	 * @return {@code true} if it is there and live
	 */
	public boolean contains(String key) {
		return live(key) != null;
	}

	/**
	 * A copy of the bytes stored under the string key {@code key}; empty when absent.
	 * @param key the full key, prefix included
	 * @return a copy of the stored bytes; empty when absent
	 * @throws IllegalStateException when the key holds a set
	 */
	public Optional<byte[]> getBytes(String key) {
		Entry entry = live(key);
		if (entry == null) {
			return Optional.empty();
		}
		if (!(entry.value instanceof byte[] bytes)) {
			throw new IllegalStateException("'" + key + "' holds a set, not a string");
		}
		return Optional.of(bytes.clone());
	}

	/**
	 * The remaining time to live of {@code key}; empty when absent or without expiry.
	 * @param key the full key, prefix included
	 * @return the remaining time; empty when absent or without expiry
	 */
	public Optional<Duration> ttl(String key) {
		long pttl = pttl(key);
		return (pttl >= 0) ? Optional.of(Duration.ofMillis(pttl)) : Optional.empty();
	}

	/**
	 * Stores a copy of {@code value} under {@code key}, without expiry, bypassing every backend.
	 * @param key the full key, prefix included
	 * @param value the bytes to store
	 */
	public void putBytes(String key, byte[] value) {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(value, "value must not be null");
		shared(() -> this.entries.put(key, new Entry(value.clone(), 0)));
	}

	/**
	 * Removes {@code key}; whether it was there.
	 * @param key the full key, prefix included
	 * @return {@code true} if it was there
	 */
	public boolean remove(String key) {
		return del(key);
	}

	/** Removes every key, of every prefix (FLUSHALL, which no backend ever sends). */
	public void flush() {
		exclusive(() -> {
			this.entries.clear();
			return null;
		});
	}

	@Override
	public String toString() {
		return "InMemoryStore[" + size() + " keys]";
	}

	// ---- the commands the backend sends (full keys, arguments already checked) ---------------

	/** GET: the bytes, or {@code null}; WRONGTYPE on a set. */
	byte @Nullable [] get(String key) {
		Entry entry = live(key);
		if (entry == null) {
			return null;
		}
		// copies in and out, as bytes over a socket would be: a serializer that hands its
		// array through (bytes()) must not let callers change what is stored
		return stringValue(entry).clone();
	}

	/** SET [PX] [NX]: {@code ttlMillis} 0 means no expiry. Whether it was stored. */
	boolean set(String key, byte[] value, long ttlMillis, boolean onlyIfAbsent) {
		boolean[] stored = { false };
		shared(() -> this.entries.compute(key, (k, old) -> {
			long now = now();
			if (onlyIfAbsent && old != null && old.isLive(now)) {
				return old;
			}
			stored[0] = true;
			return new Entry(value.clone(), expiry(now, ttlMillis));
		}));
		return stored[0];
	}

	/** UNLINK of one key. */
	boolean del(String key) {
		boolean[] removed = { false };
		shared(() -> this.entries.computeIfPresent(key, (k, old) -> {
			removed[0] = old.isLive(now());
			return null;
		}));
		return removed[0];
	}

	/** PEXPIRE (positive {@code ttlMillis}), or PERSIST-or-EXISTS for 0 (no expiry). Whether the key exists. */
	boolean expire(String key, long ttlMillis) {
		return update(key, (old, now) -> new Entry(old.value, expiry(now, ttlMillis)));
	}

	/** PEXPIREAT: a time already past removes the key. Whether the key existed. */
	boolean expireAt(String key, long epochMillis) {
		return update(key, (old, now) -> (epochMillis <= now) ? null : new Entry(old.value, epochMillis));
	}

	/** PERSIST: whether the key existed and had an expiry. */
	boolean persist(String key) {
		boolean[] changed = { false };
		update(key, (old, now) -> {
			changed[0] = old.expiresAt != 0;
			return changed[0] ? new Entry(old.value, 0) : old;
		});
		return changed[0];
	}

	/** PTTL: milliseconds, -1 without expiry, -2 when absent. */
	long pttl(String key) {
		long now = now();
		Entry entry = this.entries.get(key);
		if (entry == null || !entry.isLive(now)) {
			return -2;
		}
		return (entry.expiresAt == 0) ? -1 : entry.expiresAt - now;
	}

	/** SCAN MATCH + UNLINK: removes every live key matching {@code glob}; how many. */
	long deleteMatching(Glob glob) {
		return deleteMatching(glob, (key) -> true);
	}

	/** The keys {@code glob} matches and {@code remove} accepts (told the stored key) deleted; how many. */
	long deleteMatching(Glob glob, Predicate<String> remove) {
		return exclusive(() -> {
			long now = now();
			long[] removed = { 0 };
			this.entries.entrySet().removeIf((e) -> {
				if (!e.getValue().isLive(now)) {
					return true;
				}
				if (glob.matches(e.getKey()) && remove.test(e.getKey())) {
					removed[0]++;
					return true;
				}
				return false;
			});
			return removed[0];
		});
	}

	/** MGET: the bytes of the keys holding strings, in request order; absent keys and sets are left out. */
	Map<String, byte[]> getMany(List<String> keys) {
		return exclusive(() -> {
			long now = now();
			Map<String, byte[]> found = new LinkedHashMap<>(Math.max(4, keys.size() * 2));
			for (String key : keys) {
				Entry entry = this.entries.get(key);
				if (entry != null && entry.isLive(now) && entry.value instanceof byte[] bytes) {
					found.putIfAbsent(key, bytes.clone());
				}
			}
			return found;
		});
	}

	/** SET of every entry with one TTL, all at once. */
	void setMany(Map<String, byte[]> values, long ttlMillis) {
		exclusive(() -> {
			long expiresAt = expiry(now(), ttlMillis);
			values.forEach((key, value) -> this.entries.put(key, new Entry(value.clone(), expiresAt)));
			return null;
		});
	}

	/** UNLINK of several keys: how many were there. */
	long deleteMany(Collection<String> keys) {
		return exclusive(() -> {
			long now = now();
			long removed = 0;
			for (String key : keys) {
				Entry old = this.entries.remove(key);
				if (old != null && old.isLive(now)) {
					removed++;
				}
			}
			return removed;
		});
	}

	/**
	 * The counter script: a missing key is first set to {@code initial} with {@code ttlMillis}
	 * (0: none), then INCRBY {@code amount}. As with the script, a key created just before the
	 * increment fails (overflow) stays at {@code initial}.
	 */
	long incr(String key, long initial, long amount, long ttlMillis) {
		long[] result = new long[1];
		RuntimeException[] failure = new RuntimeException[1];
		shared(() -> this.entries.compute(key, (k, old) -> {
			long now = now();
			Entry current = (old != null && old.isLive(now)) ? old
					: new Entry(Long.toString(initial).getBytes(StandardCharsets.US_ASCII), expiry(now, ttlMillis));
			try {
				long value = parseLong(stringValue(current));
				result[0] = Math.addExact(value, amount);
			}
			catch (ArithmeticException ex) {
				failure[0] = new CacheException(ErrorCode.REDIS_ERROR, "ERR increment or decrement would overflow");
				return current;
			}
			catch (CacheException ex) {
				failure[0] = ex;
				return current;
			}
			return new Entry(Long.toString(result[0]).getBytes(StandardCharsets.US_ASCII), current.expiresAt);
		}));
		if (failure[0] != null) {
			throw failure[0];
		}
		return result[0];
	}

	// A set is changed in place, and read, only inside its key's compute: one key at a time, like
	// Redis, without copying the set on every SADD.

	/** SADD: how many members were new. A new set has no expiry; an existing one keeps its own. */
	long addToSet(String key, Collection<String> members) {
		long[] added = { 0 };
		shared(() -> this.entries.compute(key, (k, old) -> {
			Entry entry = (old != null && old.isLive(now())) ? old : new Entry(new LinkedHashSet<String>(), 0);
			Set<String> set = setValue(entry);
			for (String member : members) {
				if (set.add(member)) {
					added[0]++;
				}
			}
			return entry;
		}));
		return added[0];
	}

	/** SMEMBERS: a copy; empty when absent. */
	Set<String> members(String key) {
		Set<String> copy = new LinkedHashSet<>();
		update(key, (old, now) -> {
			copy.addAll(setValue(old));
			return old;
		});
		return copy;
	}

	/** SREM of one member; an emptied set is removed, as in Redis. */
	boolean removeFromSet(String key, String member) {
		boolean[] removed = { false };
		update(key, (old, now) -> {
			Set<String> set = setValue(old);
			removed[0] = set.remove(member);
			return set.isEmpty() ? null : old;
		});
		return removed[0];
	}

	// ---- internals -------------------------------------------------------------------------

	private long now() {
		return this.clock.millis();
	}

	private static long expiry(long now, long ttlMillis) {
		return (ttlMillis > 0) ? now + ttlMillis : 0;
	}

	private @Nullable Entry live(String key) {
		Entry entry = this.entries.get(key);
		if (entry != null && !entry.isLive(now())) {
			shared(() -> this.entries.remove(key, entry));
			return null;
		}
		return entry;
	}

	/** Applies {@code change} to the live entry under {@code key} (null: remove it); whether there was one. */
	private boolean update(String key, Change change) {
		boolean[] existed = { false };
		shared(() -> this.entries.computeIfPresent(key, (k, old) -> {
			long now = now();
			if (!old.isLive(now)) {
				return null;
			}
			existed[0] = true;
			return change.apply(old, now);
		}));
		return existed[0];
	}

	private static byte[] stringValue(Entry entry) {
		if (entry.value instanceof byte[] bytes) {
			return bytes;
		}
		throw new CacheException(ErrorCode.REDIS_ERROR, WRONGTYPE);
	}

	@SuppressWarnings("unchecked")
	private static Set<String> setValue(Entry entry) {
		if (entry.value instanceof Set<?> set) {
			return (Set<String>) set;
		}
		throw new CacheException(ErrorCode.REDIS_ERROR, WRONGTYPE);
	}

	/** Redis' integer syntax for INCRBY: optional minus, no plus, no leading zeros, no spaces, 64 bits. */
	private static long parseLong(byte[] bytes) {
		String text = new String(bytes, StandardCharsets.US_ASCII);
		boolean valid = !text.isEmpty() && text.length() <= 20 && text.matches("0|-?[1-9][0-9]*");
		if (valid) {
			try {
				return Long.parseLong(text);
			}
			catch (NumberFormatException ex) {
				// out of range: the same error as Redis
			}
		}
		throw new CacheException(ErrorCode.REDIS_ERROR, "ERR value is not an integer or out of range");
	}

	private <R> R shared(Supplier<R> action) {
		return locked(this.lock.readLock(), action);
	}

	private <R> R exclusive(Supplier<R> action) {
		return locked(this.lock.writeLock(), action);
	}

	private static <R> R locked(Lock lock, Supplier<R> action) {
		lock.lock();
		try {
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

	@FunctionalInterface
	private interface Change {

		@Nullable Entry apply(Entry old, long now);

	}

	/**
	 * One value: {@code byte[]} (never changed once stored) or a {@code Set<String>} (changed only
	 * inside its key's compute); {@code expiresAt} 0 means never.
	 */
	private record Entry(Object value, long expiresAt) {

		boolean isLive(long now) {
			// Redis keeps a key until its expiry time has passed
			return this.expiresAt == 0 || now <= this.expiresAt;
		}

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

		@Override
		public String toString() {
			return ((this.value instanceof byte[] bytes) ? bytes.length + " bytes" : "a set") + "@" + this.expiresAt;
		}

	}

}
