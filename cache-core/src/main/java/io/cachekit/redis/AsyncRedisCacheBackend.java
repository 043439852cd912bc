package io.cachekit.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.AsyncCacheBackend;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The one implementation of the cache contract: every operation is a Lettuce async command
 * (or a Lua script) wrapped in the failure policy. The blocking face awaits these futures.
 */
final class AsyncRedisCacheBackend<T> implements AsyncCacheBackend<T> {

	private static final byte[] ZERO = { '0' };

	private final Runtime runtime;

	private final CacheSerializer<T> serializer;

	private final CacheBackend<T> sync;

	AsyncRedisCacheBackend(Runtime runtime, CacheSerializer<T> serializer, Function<AsyncRedisCacheBackend<T>, CacheBackend<T>> syncFactory) {
		this.runtime = runtime;
		this.serializer = serializer;
		this.sync = syncFactory.apply(this);
	}

	Runtime runtime() {
		return this.runtime;
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("get", Optional.empty(), false, (c) -> c.get(k), (bytes) -> {
				if (bytes == null) {
					return Optional.empty();
				}
				return Optional.of(decode("get", k, bytes));
			});
		});
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] bytes = encode(value);
			SetArgs args = setArgs(keys().ttlMillis(ttl));
			return run("set", false, false, (c) -> c.set(k, bytes, args), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] bytes = encode(value);
			SetArgs args = setArgs(keys().ttlMillis(ttl)).nx();
			return run("add", false, false, (c) -> c.set(k, bytes, args), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("delete", false, false, (c) -> c.unlink(k), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("exists", false, false, (c) -> c.exists(k), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return guarded(() -> {
			String k = keys().key(key);
			long millis = Keys.ttlMillis(Keys.notNull(ttl, "ttl"), "ttl", 0);
			if (millis == 0) {
				// ZERO means "no expiry": the key stays, without a TTL.
				return run("expire", false, false, (c) -> deadlines().track(c.persist(k)).thenCompose(
						(removed) -> removed ? CompletableFuture.completedFuture(1L) : deadlines().track(c.exists(k))),
						(n) -> n != null && n > 0);
			}
			return run("expire", false, false, (c) -> c.pexpire(k, millis), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return guarded(() -> {
			String k = keys().key(key);
			long at = Keys.notNull(instant, "instant").toEpochMilli();
			return run("expireAt", false, false, (c) -> c.pexpireat(k, at), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("persist", false, false, (c) -> c.persist(k), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("getTtl", Optional.empty(), false, (c) -> c.pttl(k),
					(millis) -> (millis != null && millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty());
		});
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return guarded(() -> {
			ScanArgs args = ScanArgs.Builder.matches(keys().pattern(pattern)).limit(1000);
			return run("invalidatePattern", 0L, false, (c) -> scanAndUnlink(c, null, args, 0L), Function.identity());
		});
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return guarded(() -> {
			ScanArgs args = ScanArgs.Builder.matches(keys().pattern("*")).limit(1000);
			return run("clear", false, false, (c) -> scanAndUnlink(c, null, args, 0L), (n) -> true);
		});
	}

	private CompletionStage<Long> scanAndUnlink(RedisClusterAsyncCommands<String, byte[]> c, @Nullable ScanCursor cursor,
			ScanArgs args, long removed) {
		CompletionStage<KeyScanCursor<String>> scan = deadlines().track((cursor != null) ? c.scan(cursor, args) : c.scan(args));
		return scan.thenCompose((page) -> {
			List<String> found = page.getKeys();
			CompletionStage<Long> unlinked = found.isEmpty() ? CompletableFuture.completedFuture(0L)
					: deadlines().track(c.unlink(found.toArray(String[]::new)));
			return unlinked.thenCompose((n) -> {
				long total = removed + ((n != null) ? n : 0);
				return page.isFinished() ? CompletableFuture.completedFuture(total) : scanAndUnlink(c, page, args, total);
			});
		});
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return guarded(() -> {
			String[] redisKeys = keys().keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(Collections.emptyMap());
			}
			return run("getMany", Collections.emptyMap(), false, (c) -> c.mget(redisKeys), (values) -> {
				Map<String, T> found = new LinkedHashMap<>(Math.max(4, values.size() * 2));
				for (KeyValue<String, byte[]> kv : values) {
					if (kv.hasValue()) {
						try {
							found.put(keys().unprefix(kv.getKey()), decode("getMany", kv.getKey(), kv.getValue()));
						}
						catch (CacheSerializationException ex) {
							if (mode() == FailureMode.FAIL_FAST) {
								throw ex;
							}
							// fail-open: one unreadable entry is a miss, not a failed batch
							this.runtime.failures.record("getMany", ex);
						}
					}
				}
				return found;
			});
		});
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return guarded(() -> {
			Keys.notNull(entries, "entries");
			long millis = keys().ttlMillis(ttl);
			if (entries.isEmpty()) {
				return CompletableFuture.completedFuture(true);
			}
			Map<String, byte[]> encoded = new LinkedHashMap<>(entries.size() * 2);
			int i = 0;
			for (Map.Entry<String, ? extends T> entry : entries.entrySet()) {
				String k = this.runtime.keys.prefix() + Keys.check(entry.getKey(), "entries key #" + i);
				encoded.put(k, encode(Keys.notNull(entry.getValue(), "entries value for key '" + entry.getKey() + "'")));
				i++;
			}
			byte[] ttlArg = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
			return run("setMany", false, false, (c) -> setManyBySlot(c, encoded, ttlArg), (n) -> n == encoded.size());
		});
	}

	private CompletionStage<Long> setManyBySlot(RedisClusterAsyncCommands<String, byte[]> c, Map<String, byte[]> encoded,
			byte[] ttlArg) {
		if (!this.runtime.connector.isCluster()) {
			return runSetMany(c, encoded, ttlArg);
		}
		// A script may only touch keys of one hash slot: one atomic script per slot.
		Map<Integer, Map<String, byte[]>> bySlot = new HashMap<>();
		encoded.forEach((k, v) -> bySlot.computeIfAbsent(SlotHash.getSlot(k), (s) -> new LinkedHashMap<>()).put(k, v));
		CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
		for (Map<String, byte[]> group : bySlot.values()) {
			CompletionStage<Long> part = runSetMany(c, group, ttlArg);
			total = total.thenCombine(part, Long::sum);
		}
		return total;
	}

	private CompletionStage<Long> runSetMany(RedisClusterAsyncCommands<String, byte[]> c, Map<String, byte[]> group,
			byte[] ttlArg) {
		String[] keys = group.keySet().toArray(String[]::new);
		byte[][] args = new byte[keys.length + 1][];
		args[0] = ttlArg;
		int i = 1;
		for (byte[] value : group.values()) {
			args[i++] = value;
		}
		return Script.SET_MANY.run(c, deadlines(), keys, args);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return guarded(() -> {
			String[] redisKeys = keys().keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(0L);
			}
			return run("deleteMany", 0L, false, (c) -> c.unlink(redisKeys), (n) -> (n != null) ? n : 0L);
		});
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return guarded(() -> {
			String[] k = { keys().key(key) };
			long millis = keys().ttlMillis(ttl);
			byte[][] args = { ascii(initial), ascii(amount), (millis == 0) ? ZERO : ascii(millis) };
			return run("incr", 0L, true, (c) -> Script.COUNTER.run(c, deadlines(), k, args), Function.identity());
		});
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] m = utf8(Keys.notNull(member, "member"));
			return run("addToSet", false, false, (c) -> c.sadd(k, m), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return guarded(() -> {
			String k = keys().key(key);
			Keys.notNull(members, "members");
			if (members.isEmpty()) {
				return CompletableFuture.completedFuture(0L);
			}
			byte[][] m = new byte[members.size()][];
			int i = 0;
			for (String member : members) {
				m[i] = utf8(Keys.notNull(member, "members[" + i + "]"));
				i++;
			}
			return run("addManyToSet", 0L, false, (c) -> c.sadd(k, m), (n) -> (n != null) ? n : 0L);
		});
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("getSetMembers", Collections.emptySet(), false, (c) -> c.smembers(k), (members) -> {
				Set<String> result = new LinkedHashSet<>(Math.max(4, members.size() * 2));
				members.forEach((m) -> result.add(new String(m, StandardCharsets.UTF_8)));
				return result;
			});
		});
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] m = utf8(Keys.notNull(member, "member"));
			return run("removeFromSet", false, false, (c) -> c.srem(k, m), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return run("ping", false, false, RedisClusterAsyncCommands::ping, "PONG"::equals);
	}

	// ---- the failure policy -------------------------------------------------------------

	/** Runs {@code body}, turning an argument error thrown on the caller's thread into a failed future. */
	private static <R> CompletableFuture<R> guarded(Supplier<CompletableFuture<R>> body) {
		try {
			return body.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends one command (or a chain of them) through the breaker and maps its answer; a backend
	 * failure becomes {@code fallback} in fail-open mode (unless {@code alwaysThrow}) and a
	 * {@link CacheException} otherwise.
	 */
	private <V, R> CompletableFuture<R> run(String operation, R fallback, boolean alwaysThrow,
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<V>> command,
			Function<V, R> mapper) {
		long start = System.nanoTime();
		if (!this.runtime.running) {
			return CompletableFuture.failedFuture(new CacheException(ErrorCode.NOT_RUNNING,
					"Cache backend for " + this.runtime.target + " is not running: call initialize() first (or it was shut down)"));
		}
		if (!this.runtime.breaker.tryAcquire()) {
			return failed(operation, start, new CacheException(ErrorCode.CIRCUIT_OPEN,
					"Circuit breaker is open after repeated failures; Redis is retried shortly"), fallback, alwaysThrow, false);
		}
		RedisClusterAsyncCommands<String, byte[]> commands = this.runtime.connector.commands();
		if (commands == null) {
			return failed(operation, start, new CacheException(ErrorCode.CONNECTION, "Not connected to Redis yet"),
					fallback, alwaysThrow, true);
		}
		CompletableFuture<V> pending;
		try {
			pending = command.apply(commands).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return failed(operation, start, ex, fallback, alwaysThrow, true);
		}
		// One command: bounded here. Several: each was bounded as it was sent (a deadline on the
		// whole chain would cut a long SCAN through a big keyspace short).
		CommandDeadlines.Entry deadline = (pending instanceof RedisFuture) ? deadlines().track(pending, start) : null;
		this.runtime.inFlight.incrementAndGet();
		CompletableFuture<R> result = new CompletableFuture<>();
		pending.whenComplete((value, ex) -> {
			if (deadline != null) {
				deadline.release();
			}
			this.runtime.inFlight.decrementAndGet();
			if (ex != null) {
				complete(result, failed(operation, start, ex, fallback, alwaysThrow, true));
				return;
			}
			this.runtime.breaker.onSuccess();
			R mapped;
			try {
				mapped = mapper.apply(value);
			}
			catch (RuntimeException mapEx) {
				complete(result, failed(operation, start, mapEx, fallback, alwaysThrow, false));
				return;
			}
			this.runtime.listener.onOperation(operation, System.nanoTime() - start, null);
			result.complete(mapped);
		});
		return result;
	}

	private static <R> void complete(CompletableFuture<R> target, CompletableFuture<R> source) {
		source.whenComplete((v, ex) -> {
			if (ex != null) {
				target.completeExceptionally(unwrap(ex));
			}
			else {
				target.complete(v);
			}
		});
	}

	private <R> CompletableFuture<R> failed(String operation, long start, Throwable error, R fallback, boolean alwaysThrow,
			boolean fromRedis) {
		Throwable cause = unwrap(error);
		if (isProgrammingError(cause)) {
			// a caller's mistake surfacing late (an argument Lettuce rejects, say): never absorbed
			this.runtime.listener.onOperation(operation, System.nanoTime() - start, ErrorCode.REDIS_ERROR);
			return CompletableFuture.failedFuture(cause);
		}
		CacheException failure = classify(operation, cause);
		ErrorCode code = failure.getErrorCode();
		this.runtime.listener.onOperation(operation, System.nanoTime() - start, code);
		if (!code.isBackendFailure()) {
			return CompletableFuture.failedFuture(failure);
		}
		if (fromRedis) {
			if (code == ErrorCode.CONNECTION || code == ErrorCode.TIMEOUT) {
				this.runtime.breaker.onFailure();
			}
			else {
				this.runtime.breaker.onSuccess();
			}
		}
		this.runtime.failures.record(operation, failure);
		if (mode() == FailureMode.FAIL_OPEN && !alwaysThrow) {
			return CompletableFuture.completedFuture(fallback);
		}
		return CompletableFuture.failedFuture(failure);
	}

	private static Throwable unwrap(Throwable error) {
		Throwable ex = error;
		while ((ex instanceof CompletionException || ex instanceof java.util.concurrent.ExecutionException)
				&& ex.getCause() != null) {
			ex = ex.getCause();
		}
		return ex;
	}

	private static boolean isProgrammingError(Throwable ex) {
		return !(ex instanceof CacheException) && (ex instanceof IllegalArgumentException
				|| ex instanceof NullPointerException || ex instanceof IllegalStateException);
	}

	/** Maps what Lettuce (or our own code) failed with to the contract's error codes. Never throws. */
	private CacheException classify(String operation, Throwable ex) {
		if (ex instanceof CacheException cacheException) {
			return cacheException;
		}
		String where = operation + " on " + this.runtime.target + ": ";
		if (ex instanceof RedisCommandTimeoutException) {
			return new CacheException(ErrorCode.TIMEOUT, where + "no answer within " + this.runtime.commandTimeout, ex);
		}
		if (ex instanceof RedisCommandExecutionException) {
			String message = String.valueOf(ex.getMessage());
			if (message.startsWith("WRONGTYPE") || message.contains("not an integer") || message.contains("overflow")) {
				return new CacheException(ErrorCode.WRONG_TYPE, where + message, ex);
			}
			return new CacheException(ErrorCode.REDIS_ERROR, where + message, ex);
		}
		if (ex instanceof RedisException || ex instanceof java.io.IOException || ex instanceof CancellationException) {
			return new CacheException(ErrorCode.CONNECTION, where + RedisConnector.rootMessage(ex), ex);
		}
		return new CacheException(ErrorCode.REDIS_ERROR, where + ex, ex);
	}

	// ---- helpers -------------------------------------------------------------------------

	private T decode(String operation, String redisKey, byte[] bytes) {
		try {
			return this.serializer.deserialize(bytes);
		}
		catch (RuntimeException ex) {
			CacheSerializationException failure = (ex instanceof CacheSerializationException cse) ? cse
					: new CacheSerializationException("could not read the value under '" + redisKey + "'", ex);
			if (this.runtime.deleteUnreadable && mode() == FailureMode.FAIL_OPEN) {
				RedisClusterAsyncCommands<String, byte[]> c = this.runtime.connector.commands();
				if (c != null) {
					c.unlink(redisKey);
				}
			}
			throw new CacheSerializationException(operation + " of '" + redisKey + "': " + failure.getMessage(),
					failure.getCause());
		}
	}

	private byte[] encode(T value) {
		Keys.notNull(value, "value");
		try {
			return this.serializer.serialize(value);
		}
		catch (CacheSerializationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new CacheSerializationException("could not serialize a " + value.getClass().getName(), ex);
		}
	}

	private static SetArgs setArgs(long ttlMillis) {
		return (ttlMillis > 0) ? SetArgs.Builder.px(ttlMillis) : new SetArgs();
	}

	private Keys keys() {
		return this.runtime.keys;
	}

	private CommandDeadlines deadlines() {
		return this.runtime.connector.deadlines();
	}

	private FailureMode mode() {
		return this.runtime.mode;
	}

	private static byte[] ascii(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** What every face and view of one backend shares: connection, policy, counters. */
	static final class Runtime {

		final RedisConnector connector;

		final Keys keys;

		final FailureMode mode;

		final Duration commandTimeout;

		final CircuitBreaker breaker;

		final FailureRecorder failures;

		final OperationListener listener;

		final boolean deleteUnreadable;

		final String target;

		final AtomicInteger inFlight = new AtomicInteger();

		volatile boolean running;

		Runtime(RedisConnector connector, Keys keys, FailureMode mode, Duration commandTimeout, CircuitBreaker breaker,
				FailureRecorder failures, OperationListener listener, boolean deleteUnreadable, String target) {
			this.connector = connector;
			this.keys = keys;
			this.mode = mode;
			this.commandTimeout = commandTimeout;
			this.breaker = breaker;
			this.failures = failures;
			this.listener = listener;
			this.deleteUnreadable = deleteUnreadable;
			this.target = target;
		}

	}

}
