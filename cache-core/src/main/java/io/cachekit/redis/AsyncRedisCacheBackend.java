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
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
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
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

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
		long start = System.nanoTime();
		return bounded("get", start, get(key, this.runtime.decodeExecutor), Optional.empty());
	}

	/**
	 * GET, decoded on {@code decodeOn}: never on Lettuce's I/O thread, where a slow or hostile
	 * value would stall every other command of the connection.
	 */
	CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("get", k, Optional.empty(), Policy.ABSORB, decodeOn, (c) -> c.send((r) -> r.dispatch(CommandType.GET,
					new SingleValueOutput<>(RedisConnector.CODEC), new CommandArgs<>(RedisConnector.CODEC).addKey(k))),
					(bytes) -> {
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
			return run("set", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.set(k, bytes, args)), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] bytes = encode(value);
			SetArgs args = setArgs(keys().ttlMillis(ttl)).nx();
			return run("add", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.set(k, bytes, args)), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("delete", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.unlink(k)), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("exists", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.exists(k)), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return guarded(() -> {
			String k = keys().key(key);
			long millis = Keys.ttlMillis(Keys.notNull(ttl, "ttl"), "ttl", 0);
			if (millis == 0) {
				// ZERO means "no expiry": the key stays, without a TTL.
				return run("expire", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.persist(k)).thenCompose(
						(removed) -> Boolean.TRUE.equals(removed) ? CompletableFuture.completedFuture(1L)
								: c.send((r) -> r.exists(k))),
						(n) -> n != null && n > 0);
			}
			return run("expire", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.pexpire(k, millis)), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return guarded(() -> {
			String k = keys().key(key);
			long at = Keys.notNull(instant, "instant").toEpochMilli();
			return run("expireAt", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.pexpireat(k, at)), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("persist", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.persist(k)), Boolean.TRUE::equals);
		});
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("getTtl", k, Optional.empty(), Policy.ABSORB, null, (c) -> c.send((r) -> r.pttl(k)),
					(millis) -> (millis != null && millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty());
		});
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return guarded(() -> {
			ScanArgs args = ScanArgs.Builder.matches(keys().pattern(pattern)).limit(1000);
			return run("invalidatePattern", null, 0L, Policy.ABSORB, null, (c) -> scanAndUnlink(c, null, args, 0L), AsyncRedisCacheBackend::reply);
		});
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return guarded(() -> {
			ScanArgs args = ScanArgs.Builder.matches(keys().pattern("*")).limit(1000);
			return run("clear", null, false, Policy.ABSORB, null, (c) -> scanAndUnlink(c, null, args, 0L), (n) -> reply(n) >= 0);
		});
	}

	private CompletionStage<Long> scanAndUnlink(Link c, @Nullable ScanCursor cursor, ScanArgs args, long removed) {
		CompletionStage<KeyScanCursor<String>> scan = c.send((r) -> (cursor != null) ? r.scan(cursor, args) : r.scan(args));
		return scan.thenCompose((page) -> {
			String next = page.getCursor();
			if (!page.isFinished() && (next == null || next.isEmpty() || !next.chars().allMatch((ch) -> ch >= '0' && ch <= '9'))) {
				// a reply of the wrong shape: Redis' cursors are decimal numbers, and going on would SCAN for good
				throw new IllegalStateException("SCAN answered '" + next + "' where a cursor was expected");
			}
			List<String> found = page.getKeys();
			CompletionStage<Long> unlinked = found.isEmpty() ? CompletableFuture.completedFuture(0L)
					: c.send((r) -> r.unlink(found.toArray(String[]::new)));
			return unlinked.thenCompose((n) -> {
				long total = removed + ((n != null) ? n : 0);
				return page.isFinished() ? CompletableFuture.completedFuture(total) : scanAndUnlink(c, page, args, total);
			});
		});
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		long start = System.nanoTime();
		return bounded("getMany", start, getMany(keys, this.runtime.decodeExecutor), Collections.emptyMap());
	}

	/** MGET, decoded on {@code decodeOn} (see {@link #get(String, Executor)}). */
	CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		return guarded(() -> {
			String[] redisKeys = keys().keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(Collections.emptyMap());
			}
			return run("getMany", null, Collections.emptyMap(), Policy.ABSORB, decodeOn, (c) -> c.send((r) -> r.mget(redisKeys)), (values) -> {
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
			return run("setMany", null, false, Policy.ABSORB, null, (c) -> setManyBySlot(c, encoded, ttlArg), (n) -> reply(n) == encoded.size());
		});
	}

	private CompletionStage<Long> setManyBySlot(Link c, Map<String, byte[]> encoded, byte[] ttlArg) {
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

	private CompletionStage<Long> runSetMany(Link c, Map<String, byte[]> group, byte[] ttlArg) {
		String[] keys = group.keySet().toArray(String[]::new);
		byte[][] args = new byte[keys.length + 1][];
		args[0] = ttlArg;
		int i = 1;
		for (byte[] value : group.values()) {
			args[i++] = value;
		}
		return Script.SET_MANY.run(c, keys, args);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return guarded(() -> {
			String[] redisKeys = keys().keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(0L);
			}
			return run("deleteMany", null, 0L, Policy.ABSORB, null, (c) -> c.send((r) -> r.unlink(redisKeys)), (n) -> (n != null) ? n : 0L);
		});
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return guarded(() -> {
			String[] k = { keys().key(key) };
			long millis = keys().ttlMillis(ttl);
			byte[][] args = { ascii(initial), ascii(amount), (millis == 0) ? ZERO : ascii(millis) };
			return run("incr", k[0], 0L, Policy.ALWAYS_THROW, null, (c) -> Script.COUNTER.run(c, k, args), AsyncRedisCacheBackend::reply);
		});
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return guarded(() -> {
			String k = keys().key(key);
			byte[] m = utf8(Keys.member(member, "member"));
			return run("addToSet", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.sadd(k, m)), (n) -> n != null && n > 0);
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
				m[i] = utf8(Keys.member(member, "members[" + i + "]"));
				i++;
			}
			return run("addManyToSet", k, 0L, Policy.ABSORB, null, (c) -> c.send((r) -> r.sadd(k, m)), (n) -> (n != null) ? n : 0L);
		});
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return guarded(() -> {
			String k = keys().key(key);
			return run("getSetMembers", k, Collections.emptySet(), Policy.ABSORB, null, (c) -> c.send((r) -> r.smembers(k)), (members) -> {
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
			byte[] m = utf8(Keys.member(member, "member"));
			return run("removeFromSet", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.srem(k, m)), (n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		// A health probe: "no answer" is its answer, in both modes.
		return run("ping", null, false, Policy.NEVER_THROW, null, (c) -> c.send((r) -> r.ping()), "PONG"::equals);
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
	 * Sends one command (or a chain of them) through the breaker and maps its answer, on
	 * {@code mapOn} when given (the decoding operations), else where the reply arrives. What
	 * fails before anything is sent is the caller's mistake and always thrown; every failure after
	 * the send is a backend failure (a reply of the wrong shape included), which {@code policy}
	 * turns into {@code fallback} or a {@link CacheException}.
	 */
	private <V, R> CompletableFuture<R> run(String operation, @Nullable String routingKey, R fallback, Policy policy,
			@Nullable Executor mapOn, Function<Link, ? extends CompletionStage<V>> command, Function<@Nullable V, R> mapper) {
		long start = System.nanoTime();
		if (!this.runtime.running && !this.runtime.startOnFirstUse()) {
			return CompletableFuture.failedFuture(new CacheException(ErrorCode.NOT_RUNNING,
					"Cache backend for " + this.runtime.target + " is not running: it was shut down"));
		}
		Link link = this.runtime.connector.link();
		CircuitBreaker breaker = this.runtime.breakers.forCall(link, routingKey);
		if (!breaker.tryAcquire()) {
			return failed(operation, start, new CacheException(ErrorCode.CIRCUIT_OPEN,
					"Circuit breaker is open after repeated failures; Redis is retried shortly"), fallback, policy, false,
					breaker);
		}
		if (link == null) {
			return failed(operation, start, new CacheException(ErrorCode.CONNECTION, "Not connected to Redis"),
					fallback, policy, true, breaker);
		}
		CompletableFuture<V> sent;
		try {
			sent = command.apply(link).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			if (isProgrammingError(ex)) {
				// an argument Lettuce refuses before sending: the caller's mistake
				breaker.release();
				this.runtime.listener.onOperation(operation, System.nanoTime() - start, ErrorCode.REDIS_ERROR);
				return CompletableFuture.failedFuture(ex);
			}
			return failed(operation, start, ex, fallback, policy, true, breaker);
		}
		// Each command was bounded and is proven in step as it was sent (Link.send): a deadline on
		// a whole chain would cut a long SCAN through a big keyspace short.
		this.runtime.inFlight.incrementAndGet();
		CompletableFuture<R> result = new CompletableFuture<>();
		sent.whenComplete((value, ex) -> {
			this.runtime.inFlight.decrementAndGet();
			if (mapOn == null) {
				settle(operation, start, breaker, value, ex, fallback, policy, mapper, result);
			}
			else {
				try {
					mapOn.execute(() -> settle(operation, start, breaker, value, ex, fallback, policy, mapper, result));
				}
				catch (RuntimeException rejected) {
					settle(operation, start, breaker, null, rejected, fallback, policy, mapper, result);
				}
			}
		});
		return result;
	}

	/**
	 * Bounds a whole operation, round trip and decoding, by the command timeout from
	 * {@code start}: a value that takes too long to decode answers like a timed-out command.
	 */
	private <R> CompletableFuture<R> bounded(String operation, long start, CompletableFuture<R> result, R fallback) {
		if (result.isDone()) {
			return result;
		}
		CompletableFuture<R> answer = new CompletableFuture<>();
		CompletableFuture<R> guard = new CompletableFuture<>();
		// Two sweeps later than the command's own deadline, so that a command that timed out is
		// answered (and counted) once, by its own timeout.
		CommandDeadlines deadlines = this.runtime.connector.deadlines();
		CommandDeadlines.Entry deadline = deadlines.track(guard, start + 2 * deadlines.periodNanos());
		guard.whenComplete((v, ex) -> {
			if (ex != null && !answer.isDone()) {
				complete(answer, failed(operation, start, ex, fallback, Policy.ABSORB, false, this.runtime.breakers.shared()));
			}
		});
		result.whenComplete((v, ex) -> {
			deadline.release();
			guard.complete(v);
			if (ex != null) {
				answer.completeExceptionally(ex);
			}
			else {
				answer.complete(v);
			}
		});
		return answer;
	}

	private <V, R> void settle(String operation, long start, CircuitBreaker breaker, @Nullable V value,
			@Nullable Throwable ex, R fallback, Policy policy, Function<@Nullable V, R> mapper, CompletableFuture<R> result) {
		if (ex != null) {
			complete(result, failed(operation, start, ex, fallback, policy, true, breaker));
			return;
		}
		breaker.onSuccess();
		R mapped;
		try {
			mapped = mapper.apply(value);
		}
		catch (RuntimeException mapEx) {
			complete(result, failed(operation, start, mapEx, fallback, policy, false, breaker));
			return;
		}
		catch (Error error) {
			// never leave the caller waiting on a future nobody completes
			result.completeExceptionally(error);
			throw error;
		}
		this.runtime.listener.onOperation(operation, System.nanoTime() - start, null);
		result.complete(mapped);
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

	private <R> CompletableFuture<R> failed(String operation, long start, Throwable error, R fallback, Policy policy,
			boolean fromRedis, CircuitBreaker breaker) {
		CacheException failure = classify(operation, unwrap(error));
		ErrorCode code = failure.getErrorCode();
		this.runtime.listener.onOperation(operation, System.nanoTime() - start, code);
		if (fromRedis) {
			// every outcome of a sent command settles the breaker (a probe included)
			if (code == ErrorCode.CONNECTION || code == ErrorCode.TIMEOUT) {
				breaker.onFailure();
			}
			else {
				breaker.onSuccess();
			}
		}
		if (!code.isBackendFailure()) {
			return CompletableFuture.failedFuture(failure);
		}
		this.runtime.failures.record(operation, failure);
		if (policy == Policy.NEVER_THROW || (policy == Policy.ABSORB && mode() == FailureMode.FAIL_OPEN)) {
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

	/** A reply that must not be null: a null one (a reply of the wrong shape) is a backend failure. */
	private static <V> V reply(@Nullable V value) {
		if (value == null) {
			throw new IllegalStateException("Redis answered nothing where a value was expected");
		}
		return value;
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
		// Anything else arose after the send, from what came back: a reply of the wrong shape.
		return new CacheException(ErrorCode.REDIS_ERROR, where + "unexpected reply (" + ex + ")", ex);
	}

	/** What a backend failure does to the caller. */
	private enum Policy {

		/** Fail-open: the neutral answer; fail-fast: a {@link CacheException}. */
		ABSORB,

		/** A {@link CacheException} in both modes ({@code incr}: no honest neutral answer). */
		ALWAYS_THROW,

		/** The neutral answer in both modes ({@code ping}: "no answer" is its answer). */
		NEVER_THROW

	}

	// ---- helpers -------------------------------------------------------------------------

	private T decode(String operation, String redisKey, byte[] bytes) {
		try {
			return this.serializer.deserialize(bytes);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// (a stored graph too deep for the serializer is an unreadable value, not a crash)
			CacheSerializationException failure = (ex instanceof CacheSerializationException cse) ? cse
					: new CacheSerializationException("could not read the value under '" + redisKey + "'", ex);
			if (this.runtime.deleteUnreadable && mode() == FailureMode.FAIL_OPEN) {
				Link link = this.runtime.connector.link();
				if (link != null) {
					link.send((r) -> r.unlink(redisKey));
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

		final Breakers breakers;

		final FailureRecorder failures;

		final OperationListener listener;

		final boolean deleteUnreadable;

		final String target;

		final Executor decodeExecutor;

		final AtomicInteger inFlight = new AtomicInteger();

		volatile boolean running;

		/** Whether shutdown() was called; then nothing starts the backend on first use. */
		volatile boolean stopped;

		private volatile BooleanSupplier starter = () -> false;

		Runtime(RedisConnector connector, Keys keys, FailureMode mode, Duration commandTimeout, Breakers breakers,
				FailureRecorder failures, OperationListener listener, boolean deleteUnreadable, String target,
				Executor decodeExecutor) {
			this.decodeExecutor = decodeExecutor;
			this.connector = connector;
			this.keys = keys;
			this.mode = mode;
			this.commandTimeout = commandTimeout;
			this.breakers = breakers;
			this.failures = failures;
			this.listener = listener;
			this.deleteUnreadable = deleteUnreadable;
			this.target = target;
		}

		/** What starts the backend when a call arrives before {@code initialize()}. */
		void onFirstUse(BooleanSupplier starter) {
			this.starter = starter;
		}

		/**
		 * Starts the backend for a call that arrived before {@code initialize()} (a bean warming a
		 * cache while the application starts); never after a shutdown.
		 * @return whether the backend is running now
		 */
		boolean startOnFirstUse() {
			return !this.stopped && this.starter.getAsBoolean();
		}

	}

}
