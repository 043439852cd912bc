package io.cachekit.redis.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.cachekit.loading.EntryStore;
import io.cachekit.loading.FencedWrites;
import io.cachekit.loading.Leases;
import io.cachekit.near.Tracking;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * What the Redis engine offers the loading layer: leases ({@code SET NX PX} with a random token,
 * released by a compare-and-delete script, so only the holder ends its lease; Redis 7.0 and later,
 * Valkey) and the stored bytes of entries ({@code GET}, {@code GETEX PX}, {@code SET PX [NX]}).
 * A lease of {@code key} lives under {@link LeaseKeys#of} of {@code prefix + key}, inside the prefix
 * and in the key's hash slot; a loaded value is written only while its loader's lease holds
 * ({@link FencedWrites}: one script comparing the lease and setting the entry). Entry writes,
 * as the backend's own writes, drop their key from the engine's near caches once settled
 * ({@link Tracking#written}), which may keep entries read for the loading layer.
 */
final class RedisLoadingSupport implements Leases, EntryStore, FencedWrites {

	/** Deletes KEYS[1] only if it still holds the token ARGV[1]. */
	static final Script RELEASE = new Script("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""");

	/**
	 * Sets KEYS[2] to ARGV[2] (with PX ARGV[3] when positive) only if KEYS[1] holds the token
	 * ARGV[1]: 1 when written, 0 when the lease was no longer the token's.
	 */
	static final Script FENCED_SET = new Script("""
			if redis.call('GET', KEYS[1]) ~= ARGV[1] then
			  return 0
			end
			if tonumber(ARGV[3]) > 0 then
			  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
			else
			  redis.call('SET', KEYS[2], ARGV[2])
			end
			return 1
			""");

	private static final SecureRandom random = new SecureRandom();

	private final CommandRunner runner;

	private final Keys keys;

	private final Tracking tracking;

	RedisLoadingSupport(KeyCommands commands, Tracking tracking) {
		this.runner = commands.runner();
		this.keys = commands.keys();
		this.tracking = tracking;
	}

	/** {@code write}, dropping {@code key} from the engine's near caches once it settled, whatever its outcome. */
	private <R> CompletableFuture<R> written(String key, CompletableFuture<R> write) {
		return write.whenComplete((done, ex) -> this.tracking.written(key));
	}

	@Override
	public CompletableFuture<Optional<String>> acquire(String key, Duration leaseTime) {
		return guarded(() -> {
			String k = LeaseKeys.of(this.keys.key(key));
			long millis = Math.max(1, Keys.ttlMillis(Keys.notNull(leaseTime, "leaseTime"), "leaseTime", 0));
			String token = token();
			byte[] value = token.getBytes(StandardCharsets.US_ASCII);
			CommandArgs<String, byte[]> args = new CommandArgs<>(RedisConnector.CODEC).addKey(k).addValue(value);
			SetArgs.Builder.nx().px(millis).build(args);
			LeaseReply output = new LeaseReply();
			// dispatched with our own output (routed by its key on a cluster as SET is): Lettuce's
			// would read a status it drops (QUEUED) as nil, "held elsewhere"
			return this.runner.run("leaseAcquire", k, Optional.<String>empty(), Policy.ALWAYS_THROW, null,
					(c) -> c.send((r) -> r.dispatch(CommandType.SET, output, args)), (reply) -> output.lease(reply, token));
		});
	}

	@Override
	public CompletableFuture<Boolean> release(String key, String token) {
		return guarded(() -> {
			String[] k = { LeaseKeys.of(this.keys.key(key)) };
			byte[] value = Keys.notNull(token, "token").getBytes(StandardCharsets.US_ASCII);
			return this.runner.run("leaseRelease", k[0], false, Policy.ALWAYS_THROW, null, (c) -> RELEASE.run(c, k, value),
					(n) -> n != null && n > 0);
		});
	}

	@Override
	public CompletableFuture<Optional<byte[]>> read(String key, @Nullable Duration touch) {
		return guarded(() -> {
			String k = this.keys.key(key);
			if (touch == null) {
				return this.runner.run("get", k, Optional.<byte[]>empty(), Policy.ABSORB, null, (c) -> c.send((r) -> r.get(k)),
						Optional::ofNullable);
			}
			long millis = Keys.ttlMillis(touch, "touch", 0);
			GetExArgs args = (millis > 0) ? GetExArgs.Builder.px(millis) : GetExArgs.Builder.persist();
			return this.runner.run("getAndTouch", k, Optional.<byte[]>empty(), Policy.ABSORB, null,
					(c) -> c.send((r) -> r.getex(k, args)), Optional::ofNullable);
		});
	}

	@Override
	public CompletableFuture<Boolean> write(String key, byte[] bytes, @Nullable Duration ttl, boolean onlyIfAbsent) {
		return guarded(() -> {
			String k = this.keys.key(key);
			byte[] value = Keys.notNull(bytes, "bytes");
			long millis = this.keys.ttlMillis(ttl);
			SetArgs args = (millis > 0) ? SetArgs.Builder.px(millis) : new SetArgs();
			if (onlyIfAbsent) {
				args.nx();
			}
			return written(key, this.runner.run(onlyIfAbsent ? "add" : "set", k, false, Policy.ABSORB, null,
					(c) -> c.send((r) -> r.set(k, value, args)), "OK"::equals));
		});
	}

	@Override
	public CompletableFuture<Boolean> writeIfHeld(String key, String token, byte[] bytes, @Nullable Duration ttl) {
		return guarded(() -> {
			String entry = this.keys.key(key);
			String lease = LeaseKeys.of(entry);
			byte[] held = Keys.notNull(token, "token").getBytes(StandardCharsets.US_ASCII);
			byte[] value = Keys.notNull(bytes, "bytes");
			long millis = this.keys.ttlMillis(ttl);
			if (!LeaseKeys.aligned(entry, lease)) {
				return written(key, checkThenWrite(entry, lease, token, value, millis));
			}
			String[] k = { lease, entry };
			byte[] px = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
			// a failure throws in both modes: the loading layer drops the value either way, and
			// false must mean "the lease was lost" only
			return written(key, this.runner.run("fencedSet", entry, false, Policy.ALWAYS_THROW, null,
					(c) -> FENCED_SET.run(c, k, held, value, px), (n) -> n != null && n > 0));
		});
	}

	/** For a key whose lease cannot share its slot: the lease compared, then the entry written (two commands). */
	private CompletableFuture<Boolean> checkThenWrite(String entry, String lease, String token, byte[] value, long millis) {
		byte[] held = token.getBytes(StandardCharsets.US_ASCII);
		CompletableFuture<Boolean> holds = this.runner.run("fencedSet", lease, false, Policy.ALWAYS_THROW, null,
				(c) -> c.send((r) -> r.get(lease)), (found) -> found != null && Arrays.equals(found, held));
		return holds.thenCompose((yes) -> {
			if (!yes) {
				return CompletableFuture.completedFuture(false);
			}
			SetArgs args = (millis > 0) ? SetArgs.Builder.px(millis) : new SetArgs();
			return this.runner.run("fencedSet", entry, false, Policy.ALWAYS_THROW, null,
					(c) -> c.send((r) -> r.set(entry, value, args)), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Long> revoke(Collection<String> keys) {
		return guarded(() -> {
			String[] entries = this.keys.keys(keys);
			if (entries.length == 0) {
				return CompletableFuture.completedFuture(0L);
			}
			String[] leases = new String[entries.length];
			for (int i = 0; i < entries.length; i++) {
				leases[i] = LeaseKeys.of(entries[i]);
			}
			return this.runner.run("leaseRevoke", (leases.length == 1) ? leases[0] : null, 0L, Policy.ABSORB, null,
					(c) -> SlotGroups.unlink(c, leases), (n) -> (n != null) ? n : 0L);
		});
	}

	/**
	 * SET NX's reply: OK (the lease is taken) or nil (held elsewhere). Anything else is a reply of
	 * the wrong shape: a backend failure, so the caller loads at once as in an outage, rather than
	 * taking it for "held elsewhere" and polling for a holder that does not exist until the lease
	 * wait ends.
	 */
	private static final class LeaseReply extends StatusOutput<String, byte[]> {

		/** A value or nil arrived (Lettuce calls nothing for a status it drops). */
		private boolean answered;

		private boolean array;

		LeaseReply() {
			super(RedisConnector.CODEC);
		}

		@Override
		public void set(@Nullable ByteBuffer bytes) {
			this.answered = true;
			super.set(bytes);
		}

		@Override
		public void multi(int count) {
			this.array = true;
			super.multi(count);
		}

		Optional<String> lease(@Nullable String reply, String token) {
			if (this.answered && !this.array) {
				if (reply == null) {
					return Optional.empty();
				}
				if ("OK".equals(reply)) {
					return Optional.of(token);
				}
			}
			throw new IllegalStateException("SET NX of a lease answered a reply of the wrong shape");
		}

	}

	private static String token() {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
