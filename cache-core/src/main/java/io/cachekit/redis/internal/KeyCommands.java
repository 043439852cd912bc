package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The operations that carry no cached value (keys, TTLs, the keyspace, counters, sets, ping):
 * one Lettuce command or Lua script each, on validated keys, run by the {@link CommandRunner}.
 * One instance serves every view of a backend, whatever its value type.
 */
final class KeyCommands {

	private static final byte[] ZERO = { '0' };

	private final CommandRunner runner;

	private final Keys keys;

	KeyCommands(CommandRunner runner, Keys keys) {
		this.runner = runner;
		this.keys = keys;
	}

	Keys keys() {
		return this.keys;
	}

	CommandRunner runner() {
		return this.runner;
	}

	CompletableFuture<Boolean> delete(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("delete", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.unlink(k)), KeyCommands::positive);
		});
	}

	CompletableFuture<Boolean> exists(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("exists", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.exists(k)), KeyCommands::positive);
		});
	}

	CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return guarded(() -> {
			String k = this.keys.key(key);
			long millis = Keys.ttlMillis(Keys.notNull(ttl, "ttl"), "ttl", 0);
			if (millis == 0) {
				// ZERO means "no expiry": the key stays, without a TTL.
				return this.runner.run("expire", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.persist(k)).thenCompose(
						(removed) -> Boolean.TRUE.equals(removed) ? CompletableFuture.completedFuture(1L)
								: c.send((r) -> r.exists(k))), KeyCommands::positive);
			}
			return this.runner.run("expire", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.pexpire(k, millis)), Boolean.TRUE::equals);
		});
	}

	CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return guarded(() -> {
			String k = this.keys.key(key);
			long at = Keys.notNull(instant, "instant").toEpochMilli();
			return this.runner.run("expireAt", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.pexpireat(k, at)), Boolean.TRUE::equals);
		});
	}

	CompletableFuture<Boolean> persist(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("persist", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.persist(k)), Boolean.TRUE::equals);
		});
	}

	CompletableFuture<Optional<Duration>> getTtl(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("getTtl", k, Optional.empty(), Policy.ABSORB, null, (c) -> c.send((r) -> r.pttl(k)),
					(millis) -> (millis != null && millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty());
		});
	}

	CompletableFuture<Long> invalidatePattern(String pattern) {
		return guarded(() -> {
			String match = this.keys.pattern(pattern);
			return this.runner.run("invalidatePattern", null, 0L, Policy.ABSORB, null, (c) -> KeyspaceScan.unlinkMatching(c, match),
					KeyCommands::reply);
		});
	}

	/**
	 * {@code KeySweep.sweep}: the keys of {@code pattern} that
	 * {@code remove} accepts (told them without the prefix); a failure throws in both modes, since
	 * "nothing removed" would hide it from whoever asked for the clean-up.
	 */
	CompletableFuture<Long> sweep(String pattern, Predicate<String> remove) {
		return guarded(() -> {
			String match = this.keys.pattern(pattern);
			Keys.notNull(remove, "remove");
			String prefix = this.keys.prefix();
			Predicate<String> chosen = (k) -> k.startsWith(prefix) && remove.test(this.keys.unprefix(k));
			return this.runner.run("sweep", null, 0L, Policy.ALWAYS_THROW, null,
					(c) -> KeyspaceScan.unlinkMatching(c, match, chosen), KeyCommands::reply);
		});
	}

	CompletableFuture<Boolean> clear() {
		return guarded(() -> {
			String match = this.keys.pattern("*");
			return this.runner.run("clear", null, false, Policy.ABSORB, null, (c) -> KeyspaceScan.unlinkMatching(c, match),
					(n) -> reply(n) >= 0);
		});
	}

	CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return guarded(() -> {
			String[] redisKeys = this.keys.keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(0L);
			}
			return this.runner.run("deleteMany", null, 0L, Policy.ABSORB, null, (c) -> SlotGroups.unlink(c, redisKeys),
					KeyCommands::count);
		});
	}

	CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return guarded(() -> {
			String[] k = { this.keys.key(key) };
			long millis = this.keys.ttlMillis(ttl);
			byte[][] args = { ascii(initial), ascii(amount), (millis == 0) ? ZERO : ascii(millis) };
			return this.runner.run("incr", k[0], 0L, Policy.ALWAYS_THROW, null, (c) -> Script.COUNTER.run(c, k, args), KeyCommands::reply);
		});
	}

	CompletableFuture<Boolean> addToSet(String key, String member) {
		return guarded(() -> {
			String k = this.keys.key(key);
			byte[] m = utf8(Keys.member(member, "member"));
			return this.runner.run("addToSet", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.sadd(k, m)), KeyCommands::positive);
		});
	}

	CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return guarded(() -> {
			String k = this.keys.key(key);
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
			return this.runner.run("addManyToSet", k, 0L, Policy.ABSORB, null, (c) -> c.send((r) -> r.sadd(k, m)), KeyCommands::count);
		});
	}

	CompletableFuture<Set<String>> getSetMembers(String key) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("getSetMembers", k, Collections.emptySet(), Policy.ABSORB, null, (c) -> c.send((r) -> r.smembers(k)),
					(members) -> {
						Set<String> result = new LinkedHashSet<>(Math.max(4, members.size() * 2));
						members.forEach((m) -> result.add(new String(m, StandardCharsets.UTF_8)));
						return result;
					});
		});
	}

	CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return guarded(() -> {
			String k = this.keys.key(key);
			byte[] m = utf8(Keys.member(member, "member"));
			return this.runner.run("removeFromSet", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.srem(k, m)), KeyCommands::positive);
		});
	}

	CompletableFuture<Boolean> ping() {
		// A health probe: "no answer" is its answer, in both modes.
		return this.runner.run("ping", null, false, Policy.NEVER_THROW, null, SlotGroups::ping, "PONG"::equals);
	}

	/** A reply that must not be null: a null one (a reply of the wrong shape) is a backend failure. */
	static <V> V reply(@Nullable V value) {
		if (value == null) {
			throw new IllegalStateException("Redis answered nothing where a value was expected");
		}
		return value;
	}

	private static boolean positive(@Nullable Long n) {
		return n != null && n > 0;
	}

	private static long count(@Nullable Long n) {
		return (n != null) ? n : 0L;
	}

	static byte[] ascii(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
