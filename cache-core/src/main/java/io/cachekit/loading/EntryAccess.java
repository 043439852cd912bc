package io.cachekit.loading;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * How the loading layer reads and writes one entry: through the level below for plain values,
 * through the engine's {@link EntryStore} when a read touches the TTL (time-to-idle) or entries
 * carry an {@link Envelope}; TTLs of writes jittered.
 *
 * @param <T> the value type
 */
final class EntryAccess<T> {

	private final CacheLevel<T> below;

	private final CacheSerializer<T> serializer;

	private final FailureMode failureMode;

	private final @Nullable EntryStore store;

	private final LoadingSettings settings;

	private final @Nullable Duration defaultTtl;

	private final Clock clock;

	private final boolean envelopes;

	private final @Nullable Duration touch;

	EntryAccess(CacheLevel<T> below, LayerContext<T> context, LoadingSettings settings, Clock clock) {
		this.below = below;
		this.serializer = context.serializer();
		this.failureMode = context.failureMode();
		this.store = context.service(EntryStore.class).orElse(null);
		this.settings = settings;
		this.defaultTtl = context.defaultTtl().orElse(null);
		this.clock = clock;
		// without the engine's bytes, entries stay plain values (no envelope, no GETEX)
		this.envelopes = settings.usesEnvelope() && this.store != null;
		this.touch = (this.store != null) ? settings.getTimeToIdle() : null;
	}

	/** Whether reads and writes bypass the level below (envelopes or GETEX). */
	boolean ownsReads() {
		return this.envelopes || this.touch != null;
	}

	boolean envelopes() {
		return this.envelopes;
	}

	long now() {
		return this.clock.millis();
	}

	CompletableFuture<Optional<Entry<T>>> read(String key, @Nullable Executor decodeOn) {
		EntryStore bytes = this.store;
		if (!ownsReads() || bytes == null) {
			CompletableFuture<Optional<T>> value = (decodeOn != null) ? this.below.get(key, decodeOn) : this.below.get(key);
			return value.thenApply((found) -> found.map(Entry::plain));
		}
		CompletableFuture<Optional<byte[]>> read = bytes.read(key, this.touch);
		return (decodeOn != null) ? read.thenApplyAsync((found) -> decode(key, found), decodeOn)
				: read.thenApply((found) -> decode(key, found));
	}

	private Optional<Entry<T>> decode(String key, Optional<byte[]> found) {
		if (found.isEmpty()) {
			return Optional.empty();
		}
		byte[] stored = found.get();
		try {
			if (Envelope.isEnvelope(stored)) {
				return Optional.of(new Entry<>(this.serializer.deserialize(Envelope.value(stored)), Envelope.expiresAt(stored),
						Envelope.delta(stored)));
			}
			// a plain value (written before the feature was on, or by another client)
			return Optional.of(Entry.plain(this.serializer.deserialize(stored)));
		}
		catch (CacheSerializationException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				throw ex;
			}
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				throw new CacheSerializationException("cannot read the entry under '" + key + "'", ex);
			}
			return Optional.empty();
		}
	}

	/** Writes {@code value} with {@code ttl} jittered; {@code deltaMillis}: how long loading it took. */
	CompletableFuture<Boolean> write(String key, T value, @Nullable Duration ttl, long deltaMillis, boolean onlyIfAbsent) {
		// given no TTL, the one a TTL function below answers for this value (else the default)
		Duration effective = jittered((ttl != null) ? ttl : this.below.entryTtl(key, value));
		EntryStore bytes = this.store;
		if (!this.envelopes || bytes == null) {
			return onlyIfAbsent ? this.below.add(key, value, effective) : this.below.set(key, value, effective);
		}
		byte[] serialized = this.serializer.serialize(value);
		if (effective == null || effective.isZero()) {
			// no logical expiry known: the entry lives as long as Redis keeps it
			return bytes.write(key, Envelope.wrap(serialized, 0, deltaMillis), effective, onlyIfAbsent);
		}
		long expiresAt = now() + Math.max(1, effective.toMillis());
		Duration physical = effective.plus(this.settings.getStaleGrace()).plus(refreshMargin(effective, deltaMillis));
		return bytes.write(key, Envelope.wrap(serialized, expiresAt, deltaMillis), physical, onlyIfAbsent);
	}

	/**
	 * With early refresh, how long an entry outlives its logical expiry so that a refresh that
	 * started late still finds readers served: three recompute times, at least 100 ms, at most the
	 * TTL itself.
	 */
	private Duration refreshMargin(Duration ttl, long deltaMillis) {
		if (!this.settings.isEarlyRefresh()) {
			return Duration.ZERO;
		}
		long margin = Math.max(100, 3 * Math.max(0, deltaMillis));
		return Duration.ofMillis(Math.min(margin, Math.max(1, ttl.toMillis())));
	}

	/** {@code ttl} (the default when {@code null}) less a random part of up to the jitter fraction. */
	@Nullable Duration jittered(@Nullable Duration ttl) {
		if (ttl != null && ttl.isNegative()) {
			throw new IllegalArgumentException("ttl must not be negative but was " + ttl);
		}
		Duration base = (ttl != null) ? ttl : this.defaultTtl;
		double jitter = this.settings.getTtlJitter();
		if (base == null || base.isZero() || jitter == 0) {
			return base;
		}
		long millis = Math.max(1, base.toMillis());
		long cut = (long) (millis * jitter * ThreadLocalRandom.current().nextDouble());
		return Duration.ofMillis(Math.max(1, millis - cut));
	}

}
