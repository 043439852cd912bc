package io.cachekit.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.KeyPatterns;
import io.cachekit.core.serialization.CacheSerializers;

/**
 * A {@link CacheBackend} in the JVM's memory, for tests of code that uses CacheKit: the same
 * contract as {@code RedisCacheBackend} (contract.md, and the same contract test suite), without a
 * Redis server.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * InMemoryCacheBackend<Product> products = InMemoryCacheBackend.builder()
 *     .serializer(CacheSerializers.json(Product.class))
 *     .clock(clock)
 *     .build();
 * products.set("p1", lamp, Duration.ofMinutes(10));
 * clock.advance(Duration.ofMinutes(11));
 * products.get("p1");                                  // empty: expired
 * }</pre>
 *
 * <p>What it keeps from Redis: keys are {@code prefix + key} in an {@link InMemoryStore} that
 * several backends may share; values are stored as the bytes the serializer wrote and read back
 * through it, so an unserializable value fails at {@code set}, and changing an object after
 * {@code set} does not change the cached value; TTLs (default, {@code ZERO} for none, negative
 * rejected, under a millisecond counted as one) follow the store's {@link Clock}; {@code add} is
 * set-if-absent; {@code invalidatePattern} and {@code clear} match Redis' glob syntax inside the
 * escaped prefix; {@code getMany} answers in request order; {@code setMany}, {@code getMany} and
 * {@code deleteMany} are atomic; counters start at {@code initial} and get their TTL only when
 * created; a counter on a non-integer value, a set operation on a string, or a string operation on
 * a set throws {@code CacheException(WRONG_TYPE)}; set members are strings, an emptied set is
 * removed; argument errors throw the same exceptions with the same messages. Stored bytes the
 * serializer cannot read are a miss (and deleted) in fail-open mode, and
 * {@code CacheSerializationException} in fail-fast mode.
 *
 * <p>What it does not model: the network and its failures (no connection loss, timeouts, circuit
 * breaker, reconnects; {@code ping()} is always {@code true}, the async face completes before it
 * returns), cluster hash slots ({@code setMany} is atomic as a whole, as on a single Redis; no
 * per-slot grouping or CROSSSLOT), SCAN paging (pattern deletion walks the keyspace at once),
 * memory limits and eviction policies, persistence and replication, Sentinel failover, the
 * {@code OperationListener} metrics, failure counters and logging of {@code RedisCacheBackend},
 * and lifecycle: there is nothing to {@code initialize()} or shut down. Expired keys are removed
 * when touched or when the keyspace is walked, not by a background sweep.
 *
 * @param <T> the value type
 */
public final class InMemoryCacheBackend<T> implements CacheBackend<T> {

	/** Prefix of every key unless configured: as {@code RedisCacheBackend}'s. */
	public static final String DEFAULT_PREFIX = "cache:";

	/** TTL of entries written without one unless configured: as {@code RedisCacheBackend}'s. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(1);

	private final InMemoryStore store;

	private final String prefix;

	private final Glob all;

	private final String escapedPrefix;

	private final Duration defaultTtl;

	private final long defaultTtlMillis;

	private final FailureMode failureMode;

	private final boolean deleteUnreadableEntries;

	private final CacheSerializer<T> serializer;

	private final AsyncCacheBackend<T> async;

	private InMemoryCacheBackend(InMemoryStore store, String prefix, Duration defaultTtl, FailureMode failureMode,
			boolean deleteUnreadableEntries, CacheSerializer<T> serializer) {
		this.store = store;
		this.prefix = prefix;
		this.escapedPrefix = KeyPatterns.escape(prefix);
		this.all = Glob.compile(this.escapedPrefix + "*");
		this.defaultTtl = defaultTtl;
		this.defaultTtlMillis = ttlMillis(defaultTtl, "defaultTtl", 0);
		this.failureMode = failureMode;
		this.deleteUnreadableEntries = deleteUnreadableEntries;
		this.serializer = serializer;
		this.async = new AsyncInMemoryCacheBackend<>(this);
	}

	/**
	 * A backend with every default: its own store on the system clock, JSON values, prefix {@code cache:}, TTL 1 hour, fail-open.
	 * @return a new backend with its own store
	 */
	public static InMemoryCacheBackend<Object> create() {
		return builder().build();
	}

	/**
	 * Starts building a backend, with JSON values of any JDK value type (as {@code RedisCacheBackend.builder(url)}).
	 * @return a builder
	 */
	public static Builder<Object> builder() {
		return new Builder<>(CacheSerializers.json());
	}

	/**
	 * A view of this backend with another serializer: same store, prefix, TTL and failure mode, so
	 * {@code backend.withSerializer(CacheSerializers.json(Product.class))} gives a
	 * {@code CacheBackend<Product>} without casts.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @return a view of this backend with {@code serializer}
	 */
	public <U> InMemoryCacheBackend<U> withSerializer(CacheSerializer<U> serializer) {
		Objects.requireNonNull(serializer, "serializer must not be null");
		return new InMemoryCacheBackend<>(this.store, this.prefix, this.defaultTtl, this.failureMode,
				this.deleteUnreadableEntries, serializer);
	}

	/**
	 * Where the entries live: to inspect or plant raw entries, or to share with other backends.
	 * @return the store of this backend
	 */
	public InMemoryStore store() {
		return this.store;
	}

	/**
	 * The prefix of every key this backend writes.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.prefix;
	}

	/**
	 * The TTL of entries written without one.
	 * @return the default TTL ({@code ZERO}: no expiry)
	 */
	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	/**
	 * What unreadable stored bytes do.
	 * @return the failure mode
	 */
	public FailureMode getFailureMode() {
		return this.failureMode;
	}

	@Override
	public AsyncCacheBackend<T> async() {
		return this.async;
	}

	// ---- operations ------------------------------------------------------------------------

	@Override
	public Optional<T> get(String key) {
		String k = key(key);
		byte[] bytes = this.store.get(k);
		if (bytes == null) {
			return Optional.empty();
		}
		return decode("get", k, bytes);
	}

	@Override
	public boolean set(String key, T value, @Nullable Duration ttl) {
		String k = key(key);
		byte[] bytes = encode(value);
		return this.store.set(k, bytes, ttlMillis(ttl), false);
	}

	@Override
	public boolean add(String key, T value, @Nullable Duration ttl) {
		String k = key(key);
		byte[] bytes = encode(value);
		return this.store.set(k, bytes, ttlMillis(ttl), true);
	}

	@Override
	public boolean delete(String key) {
		return this.store.del(key(key));
	}

	@Override
	public boolean exists(String key) {
		return this.store.contains(key(key));
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		String k = key(key);
		return this.store.expire(k, ttlMillis(notNull(ttl, "ttl"), "ttl", 0));
	}

	@Override
	public boolean expireAt(String key, Instant instant) {
		String k = key(key);
		return this.store.expireAt(k, notNull(instant, "instant").toEpochMilli());
	}

	@Override
	public boolean persist(String key) {
		return this.store.persist(key(key));
	}

	@Override
	public Optional<Duration> getTtl(String key) {
		long millis = this.store.pttl(key(key));
		return (millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
	}

	@Override
	public long invalidatePattern(String pattern) {
		return this.store.deleteMatching(Glob.compile(this.escapedPrefix + check(pattern, "pattern")));
	}

	@Override
	public boolean clear() {
		this.store.deleteMatching(this.all);
		return true;
	}

	@Override
	public Map<String, T> getMany(Collection<String> keys) {
		List<String> full = keys(keys);
		if (full.isEmpty()) {
			return Collections.emptyMap();
		}
		Map<String, T> found = new LinkedHashMap<>();
		this.store.getMany(full).forEach((k, bytes) -> decode("getMany", k, bytes)
			.ifPresent((value) -> found.put(k.substring(this.prefix.length()), value)));
		return found;
	}

	@Override
	public boolean setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		notNull(entries, "entries");
		long millis = ttlMillis(ttl);
		if (entries.isEmpty()) {
			return true;
		}
		Map<String, byte[]> encoded = new LinkedHashMap<>(entries.size() * 2);
		int i = 0;
		for (Map.Entry<String, ? extends T> entry : entries.entrySet()) {
			String k = this.prefix + check(entry.getKey(), "entries key #" + i);
			encoded.put(k, encode(notNull(entry.getValue(), "entries value for key '" + entry.getKey() + "'")));
			i++;
		}
		this.store.setMany(encoded, millis);
		return true;
	}

	@Override
	public long deleteMany(Collection<String> keys) {
		List<String> full = keys(keys);
		return full.isEmpty() ? 0 : this.store.deleteMany(full);
	}

	@Override
	public long incr(String key, long amount, long initial, @Nullable Duration ttl) {
		String k = key(key);
		return this.store.incr(k, initial, amount, ttlMillis(ttl));
	}

	@Override
	public boolean addToSet(String key, String member) {
		String k = key(key);
		return this.store.addToSet(k, List.of(notNull(member, "member"))) > 0;
	}

	@Override
	public long addManyToSet(String key, Collection<String> members) {
		String k = key(key);
		notNull(members, "members");
		if (members.isEmpty()) {
			return 0;
		}
		List<String> checked = new ArrayList<>(members.size());
		int i = 0;
		for (String member : members) {
			checked.add(notNull(member, "members[" + i + "]"));
			i++;
		}
		return this.store.addToSet(k, checked);
	}

	@Override
	public Set<String> getSetMembers(String key) {
		return this.store.members(key(key));
	}

	@Override
	public boolean removeFromSet(String key, String member) {
		String k = key(key);
		return this.store.removeFromSet(k, notNull(member, "member"));
	}

	/** Always {@code true}: there is no server to be down. */
	@Override
	public boolean ping() {
		return true;
	}

	@Override
	public String toString() {
		return "InMemoryCacheBackend[prefix=" + this.prefix + ", " + this.failureMode + ", " + this.store + "]";
	}

	// ---- keys, values, TTLs: the same checks and messages as RedisCacheBackend ----------------

	private String key(@Nullable String key) {
		return this.prefix + check(key, "key");
	}

	private List<String> keys(@Nullable Collection<String> keys) {
		if (keys == null) {
			throw new IllegalArgumentException("keys must not be null");
		}
		List<String> result = new ArrayList<>(keys.size());
		int i = 0;
		for (String key : keys) {
			result.add(this.prefix + check(key, "keys[" + i + "]"));
			i++;
		}
		return result;
	}

	private long ttlMillis(@Nullable Duration ttl) {
		return (ttl != null) ? ttlMillis(ttl, "ttl", this.defaultTtlMillis) : this.defaultTtlMillis;
	}

	static long ttlMillis(Duration ttl, String name, long whenNull) {
		if (ttl.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative but was " + ttl);
		}
		if (ttl.isZero()) {
			return 0;
		}
		long millis = ttl.toMillis();
		return (millis == 0) ? 1 : millis;
	}

	private static String check(@Nullable String value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		if (value.isEmpty()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		return value;
	}

	private static <V> V notNull(@Nullable V value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		return value;
	}

	private byte[] encode(@Nullable T value) {
		T checked = notNull(value, "value");
		try {
			return this.serializer.serialize(checked);
		}
		catch (CacheSerializationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CacheSerializationException("could not serialize a " + checked.getClass().getName(), ex);
		}
	}

	/** The value, or empty for unreadable bytes in fail-open mode (deleting them, unless configured otherwise). */
	private Optional<T> decode(String operation, String fullKey, byte[] bytes) {
		try {
			return Optional.of(this.serializer.deserialize(bytes));
		}
		catch (RuntimeException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				String reason = (ex instanceof CacheSerializationException) ? ex.getMessage()
						: "could not read the value under '" + fullKey + "'";
				throw new CacheSerializationException(operation + " of '" + fullKey + "': " + reason,
						(ex instanceof CacheSerializationException) ? ex.getCause() : ex);
			}
			if (this.deleteUnreadableEntries) {
				this.store.del(fullKey);
			}
			return Optional.empty();
		}
	}


	/**
	 * Builds an {@link InMemoryCacheBackend}; the settings mirror {@code RedisCacheBackend.Builder}'s.
	 *
	 * @param <T> the value type, set by {@link #serializer(CacheSerializer)}
	 */
	public static final class Builder<T> {

		private CacheSerializer<T> serializer;

		private String prefix = DEFAULT_PREFIX;

		private Duration defaultTtl = DEFAULT_TTL;

		private FailureMode failureMode = FailureMode.FAIL_OPEN;

		private boolean deleteUnreadableEntries = true;

		private @Nullable InMemoryStore store;

		private @Nullable Clock clock;

		private Builder(CacheSerializer<T> serializer) {
			this.serializer = serializer;
		}

		/**
		 * The serializer for values; the default is {@code CacheSerializers.json()}.
		 * @param <U> the value type
		 * @param serializer the value serializer
		 * @return this builder, for values of the serializer's type
		 */
		@SuppressWarnings("unchecked")
		public <U> Builder<U> serializer(CacheSerializer<U> serializer) {
			Builder<U> next = (Builder<U>) this;
			next.serializer = Objects.requireNonNull(serializer, "serializer must not be null");
			return next;
		}

		/**
		 * The prefix of every key (default {@code cache:}); must not be empty, so clear() stays inside it.
		 * @param prefix the key prefix
		 * @return this builder
		 */
		public Builder<T> prefix(String prefix) {
			if (prefix == null || prefix.isEmpty()) {
				throw new IllegalArgumentException("prefix must not be empty: clear() and invalidatePattern() rely on it");
			}
			this.prefix = prefix;
			return this;
		}

		/**
		 * TTL of entries written without one (default 1 hour); {@code ZERO} means no expiry.
		 * @param defaultTtl the default TTL
		 * @return this builder
		 */
		public Builder<T> defaultTtl(Duration defaultTtl) {
			ttlMillis(Objects.requireNonNull(defaultTtl, "defaultTtl must not be null"), "defaultTtl", 0);
			this.defaultTtl = defaultTtl;
			return this;
		}

		/**
		 * What unreadable stored bytes do (default {@link FailureMode#FAIL_OPEN}: a miss); the only
		 * backend failure an in-memory store has.
		 * @param failureMode the failure mode
		 * @return this builder
		 */
		public Builder<T> failureMode(FailureMode failureMode) {
			this.failureMode = Objects.requireNonNull(failureMode, "failureMode must not be null");
			return this;
		}

		/**
		 * Whether fail-open reads delete entries the serializer cannot read (default {@code true}).
		 * @param delete whether to delete them
		 * @return this builder
		 */
		public Builder<T> deleteUnreadableEntries(boolean delete) {
			this.deleteUnreadableEntries = delete;
			return this;
		}

		/**
		 * The store to keep entries in, shared with other backends (as several backends share one
		 * Redis); by default each backend gets a store of its own.
		 * @param store the store to share
		 * @return this builder
		 */
		public Builder<T> store(InMemoryStore store) {
			this.store = Objects.requireNonNull(store, "store must not be null");
			return this;
		}

		/**
		 * The clock that decides expiry, for a store of this backend's own (for example a
		 * {@link ManualClock}); a shared {@link #store(InMemoryStore) store} has its own clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder<T> clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Builds the backend.
		 * @return a new backend
		 */
		public InMemoryCacheBackend<T> build() {
			InMemoryStore target = this.store;
			if (target == null) {
				target = (this.clock != null) ? new InMemoryStore(this.clock) : new InMemoryStore();
			}
			else if (this.clock != null && !this.clock.equals(target.clock())) {
				throw new IllegalStateException("clock and store are both set: a shared store keeps its own clock");
			}
			return new InMemoryCacheBackend<>(target, this.prefix, this.defaultTtl, this.failureMode,
					this.deleteUnreadableEntries, this.serializer);
		}

	}

}
