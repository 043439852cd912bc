package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.loading.TagVersions;
import io.cachekit.near.FlushCause;
import io.cachekit.near.NearCache;
import io.cachekit.near.Tracking;
import io.cachekit.near.TrackingMode;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The engine's {@link TagVersions}, one per engine (every view and cache of a backend shares its
 * tags): a tag's version is the counter under {@code <prefix>__tag:{<tag>}}. Versions read are
 * kept in memory only while Redis client tracking vouches for them, with the near cache's
 * protocol: a read puts a marker first and keeps its version only by swapping that same marker,
 * so an invalidation (Redis' push, or this engine's own invalidation) or a flush that overtook it
 * keeps nothing; everything goes when a connection is in doubt, lost or replaced. A kept version
 * lives at most {@link NearCache#DEFAULT_MAX_LOCAL_TTL} (the bound of a lost push). Invalidating
 * a tag is one counter increment on its one key, whose first value is random so that a version
 * key lost (evicted, flushed) and created again never matches versions recorded before.
 */
final class RedisTagVersions implements TagVersions, Tracking.Listener {

	/** Versions kept at most: beyond, everything kept is dropped (read again on use). */
	static final int MAX_KEPT = 100_000;

	private static final long MAX_LOCAL_NANOS = NearCache.DEFAULT_MAX_LOCAL_TTL.toNanos();

	private static final byte[] ONE = { '1' };

	private static final byte[] NO_EXPIRY = { '0' };

	private final ClientTracking tracking;

	private final CommandRunner runner;

	private final Keys keys;

	private final ConcurrentHashMap<String, Object> kept = new ConcurrentHashMap<>();

	private volatile boolean registered;

	RedisTagVersions(ClientTracking tracking, CommandRunner runner, Keys keys) {
		this.tracking = tracking;
		this.runner = runner;
		this.keys = keys;
	}

	/** A version read on a tracked connection, served until {@code deadlineNanos}. */
	private record Kept(long version, long deadlineNanos) {
	}

	/** A read in flight: only it may replace itself with what it read. */
	private static final class Pending {

	}

	@Override
	public CompletableFuture<long[]> current(List<String> tags) {
		long[] versions = new long[tags.size()];
		List<CompletableFuture<Void>> reads = null;
		long now = System.nanoTime();
		for (int i = 0; i < versions.length; i++) {
			String tag = tags.get(i);
			Object held = this.kept.get(tag);
			if (held instanceof Kept known && now - known.deadlineNanos() < 0) {
				versions[i] = known.version();
				continue;
			}
			if (reads == null) {
				reads = new ArrayList<>();
			}
			int index = i;
			// the reads of unknown tags are sent together: one round trip
			reads.add(read(tag, held).thenAccept((version) -> versions[index] = version));
		}
		if (reads == null) {
			return CompletableFuture.completedFuture(versions);
		}
		return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply((done) -> versions);
	}

	private CompletableFuture<Long> read(String tag, @Nullable Object held) {
		register();
		if (held instanceof Kept) {
			this.kept.remove(tag, held);
		}
		Pending marker = new Pending();
		boolean mine = this.kept.size() < MAX_KEPT ? this.kept.putIfAbsent(tag, marker) == null : trim();
		CompletableFuture<Tracking.Read> read;
		try {
			read = this.tracking.read(TagVersions.key(tag));
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		return read.handle((r, ex) -> {
			if (ex != null || r == null || r == Tracking.Read.UNAVAILABLE) {
				if (mine) {
					this.kept.remove(tag, marker);
				}
				throw (ex instanceof CompletionException completion) ? completion : new CompletionException(
						(ex != null) ? ex : new CacheException(ErrorCode.CONNECTION, "cannot read the version of a tag"));
			}
			long version = version(r.value());
			if (mine) {
				long ttl = localTtlNanos(r.ttlMillis());
				Kept known = new Kept(version, r.sentAtNanos() + ttl);
				if (!r.tracked() || ttl <= 0 || !this.kept.replace(tag, marker, known)) {
					this.kept.remove(tag, marker);
				}
				else if (!r.stillCurrent()) {
					// its connection was put in doubt meanwhile: nothing read on it is kept
					this.kept.remove(tag, known);
				}
			}
			return version;
		});
	}

	/** Beyond {@link #MAX_KEPT}: drop everything kept (markers too: their reads keep nothing). */
	private boolean trim() {
		this.kept.clear();
		return false;
	}

	private static long localTtlNanos(long pttlMillis) {
		if (pttlMillis == -1) {
			return MAX_LOCAL_NANOS;
		}
		if (pttlMillis <= 0) {
			// absent (-2): version 0 until created, which Redis tracks as any write
			return (pttlMillis == -2) ? MAX_LOCAL_NANOS : 0;
		}
		return Math.min(Duration.ofMillis(pttlMillis).toNanos(), MAX_LOCAL_NANOS);
	}

	private static long version(byte @Nullable [] value) {
		if (value == null) {
			return 0;
		}
		try {
			return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			throw new CompletionException(new CacheException(ErrorCode.WRONG_TYPE, "a tag's version key holds no number"));
		}
	}

	/** Registers with the engine's tracking on first use: the mode the near caches chose, else default. */
	private void register() {
		if (this.registered) {
			return;
		}
		synchronized (this) {
			if (this.registered) {
				return;
			}
			try {
				this.tracking.register(TrackingMode.DEFAULT, NearCache.DEFAULT_HEARTBEAT, this);
			}
			catch (IllegalArgumentException broadcast) {
				// the near caches track by prefix, which covers the tag keys too
				this.tracking.register(TrackingMode.BROADCAST, NearCache.DEFAULT_HEARTBEAT, this);
			}
			this.registered = true;
		}
	}

	@Override
	public CompletableFuture<Boolean> invalidate(String tag) {
		return guarded(() -> {
			String key = TagVersions.key(tag);
			String[] redisKey = { this.keys.key(key) };
			// a version key created anew starts at random: no version recorded before matches it
			byte[][] args = { KeyCommands.ascii(ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62)), ONE, NO_EXPIRY };
			return this.runner.<Long, Boolean>run("invalidateTag", redisKey[0], false, Policy.ABSORB, null,
					(c) -> Script.COUNTER.run(c, redisKey, args), (n) -> n != null)
				.whenComplete((done, ex) -> {
					// this JVM reads the new version from now on, whatever the push does
					this.kept.remove(tag);
					this.tracking.written(key);
				});
		});
	}

	@Override
	public void invalidated(String key, boolean byRedis) {
		String tag = TagVersions.tagOf(key);
		if (tag != null) {
			this.kept.remove(tag);
		}
	}

	@Override
	public void flushed(FlushCause cause) {
		this.kept.clear();
	}

	@Override
	public void disconnected() {
		this.kept.clear();
	}

	@Override
	public void flushed(FlushCause cause, Tracking.Origin origin) {
		this.kept.clear();
	}

	@Override
	public void disconnected(Tracking.Origin origin) {
		this.kept.clear();
	}

	@Override
	public void suspect(Tracking.Origin origin) {
		this.kept.clear();
	}

}
