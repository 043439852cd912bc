package io.cachekit.loading;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.TagsNotSupportedException;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.layer.StoredDecoder;

/**
 * How the loading layer reads and writes one entry: through the level below for plain values,
 * through the engine's {@link EntryStore} when a read touches the TTL (time-to-idle) or entries
 * carry an {@link Envelope}; TTLs of writes jittered. Entries with envelopes or tags (without
 * time-to-idle) are read through a level below that keeps reads ({@link CacheLevel#readStored}: a
 * near cache), which keeps them decoded, so a hit costs no command and, from
 * {@link #valueNow}, no future; every hit still checks logical expiry and tag versions here.
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

	private final @Nullable FencedWrites fenced;

	private final @Nullable TagVersions tags;

	/** What a level below that keeps reads keeps of an entry: this access's decoding of its bytes. */
	private final StoredDecoder<Tagged<T>> stored = this::decodeStored;

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
		this.fenced = context.service(FencedWrites.class).orElse(null);
		// tagged entries need their bytes (the tag envelope) and the engine's tag versions
		this.tags = (settings.isTags() && this.store != null) ? context.service(TagVersions.class).orElse(null) : null;
	}

	/** Whether a load under a lease writes only while the lease is its own (the engine offers it). */
	boolean fences() {
		return this.fenced != null;
	}

	/** Whether reads and writes bypass the level below (envelopes or GETEX). */
	boolean ownsReads() {
		return this.envelopes || this.touch != null || this.tags != null;
	}

	/** Whether entries may carry tags here (tags on, over an engine with tag versions). */
	boolean tagged() {
		return this.tags != null;
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
		if (this.touch == null) {
			// a hit kept below must not skip a touch: with time-to-idle every read goes to the store
			CacheArguments.text(key, "key");
			CompletableFuture<Optional<Tagged<T>>> kept = this.below.readStored(key, this.stored, decodeOn);
			if (kept != null) {
				return kept.thenCompose((found) -> found.isPresent() ? checkTags(found.get())
						: CompletableFuture.completedFuture(Optional.empty()));
			}
		}
		CompletableFuture<Optional<byte[]>> read = bytes.read(key, this.touch);
		if (this.tags != null) {
			CompletableFuture<Tagged<T>> decoded = (decodeOn != null)
					? read.thenApplyAsync((found) -> decodeTagged(key, found), decodeOn)
					: read.thenApply((found) -> decodeTagged(key, found));
			return decoded.thenCompose(this::checkTags);
		}
		return (decodeOn != null) ? read.thenApplyAsync((found) -> decode(key, found), decodeOn)
				: read.thenApply((found) -> decode(key, found));
	}

	/**
	 * The value {@link #read} would answer, unexpired, from a level below that keeps reads, on
	 * the calling thread, when it has one without waiting (the entry kept, its tags' versions
	 * known here); else {@code null}. A hit of an untagged entry allocates nothing. Only for reads
	 * this access owns ({@link #ownsReads()}).
	 */
	@Nullable Optional<T> valueNow(String key) {
		if (this.touch != null || this.store == null || key == null) {
			return null;
		}
		Optional<Tagged<T>> kept = this.below.readStoredNow(key, this.stored);
		if (kept == null) {
			return null;
		}
		Tagged<T> tagged = kept.orElse(null);
		Entry<T> entry = (tagged != null) ? tagged.entry().orElse(null) : null;
		if (entry == null) {
			return Optional.empty();
		}
		if (entry.expiresAtMillis() != 0 && entry.isExpired(now())) {
			return Optional.empty();
		}
		List<String> recorded = tagged.tags();
		if (recorded == null || recorded.isEmpty()) {
			return tagged.value();
		}
		CompletableFuture<Optional<Entry<T>>> checked = checkTags(tagged);
		return (checked.isDone() && !checked.isCompletedExceptionally()) ? checked.join().map(Entry::value) : null;
	}

	/** The stored bytes of {@code key} as a level below keeps them: {@code null} when there is nothing to serve. */
	private @Nullable Tagged<T> decodeStored(String key, byte[] bytes) {
		Tagged<T> decoded = (this.tags != null) ? decodeTagged(key, Optional.of(bytes))
				: new Tagged<>(decode(key, Optional.of(bytes)), null, null);
		return decoded.entry().isPresent() ? decoded : null;
	}

	private Optional<Entry<T>> decode(String key, Optional<byte[]> found) {
		if (found.isEmpty()) {
			return Optional.empty();
		}
		byte[] stored = found.get();
		try {
			if (TagEnvelope.isTagged(stored)) {
				// a tagged entry where tags cannot be checked: never served unchecked
				return Optional.empty();
			}
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

	/** An entry read where entries may carry tags, with the tags and versions it recorded (none: untagged). */
	private record Tagged<T>(Optional<Entry<T>> entry, @Nullable List<String> tags, long @Nullable [] versions,
			Optional<T> value) {

		Tagged(Optional<Entry<T>> entry, @Nullable List<String> tags, long @Nullable [] versions) {
			// the answer of a hit, made once: a near cache keeps this record
			this(entry, tags, versions, entry.map(Entry::value));
		}

	}

	private Tagged<T> decodeTagged(String key, Optional<byte[]> found) {
		if (found.isEmpty() || !TagEnvelope.isTagged(found.get())) {
			return new Tagged<>(decode(key, found), null, null);
		}
		try {
			TagEnvelope.Parts parts = TagEnvelope.read(found.get());
			Entry<T> entry = new Entry<>(this.serializer.deserialize(parts.value()), parts.expiresAtMillis(),
					parts.deltaMillis());
			return new Tagged<>(Optional.of(entry), parts.tags(), parts.versions());
		}
		catch (CacheSerializationException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				throw ex;
			}
			return new Tagged<>(Optional.empty(), null, null);
		}
		catch (RuntimeException ex) {
			if (this.failureMode == FailureMode.FAIL_FAST) {
				throw new CacheSerializationException("cannot read the entry under '" + key + "'", ex);
			}
			return new Tagged<>(Optional.empty(), null, null);
		}
	}

	/**
	 * A tagged entry is served only while every tag still has the version it recorded; versions
	 * that cannot be read make it a miss (fail-open) or fail the read (fail-fast).
	 */
	private CompletableFuture<Optional<Entry<T>>> checkTags(Tagged<T> read) {
		List<String> recorded = read.tags();
		TagVersions versions = this.tags;
		if (recorded == null || versions == null || read.entry().isEmpty()) {
			return CompletableFuture.completedFuture(read.entry());
		}
		if (recorded.isEmpty()) {
			return CompletableFuture.completedFuture(read.entry());
		}
		return versions.current(recorded).handle((current, ex) -> {
			if (ex != null) {
				if (this.failureMode == FailureMode.FAIL_FAST) {
					throw (ex instanceof CompletionException completion) ? completion : new CompletionException(ex);
				}
				return Optional.empty();
			}
			return Arrays.equals(current, read.versions()) ? read.entry() : Optional.empty();
		});
	}

	/**
	 * The current versions of {@code tags} (see {@link TagVersions#current}), for a tagged write.
	 * @throws TagsNotSupportedException when entries here cannot carry tags
	 */
	CompletableFuture<long[]> versions(List<String> tags) {
		TagVersions versions = this.tags;
		if (versions == null) {
			throw new TagsNotSupportedException(this.below);
		}
		return versions.current(tags);
	}

	/** The tags of a write, checked, each once, in their order. */
	static List<String> tagList(Collection<String> tags) {
		if (tags == null) {
			throw new IllegalArgumentException("tags must not be null");
		}
		return tags.stream().map(TagVersions::requireTag).distinct().toList();
	}

	/**
	 * A tagged {@code set}: the tags' current versions, then one write. The value is serialized
	 * (and the TTL checked) before anything is sent. In fail-open mode versions that cannot be read
	 * answer {@code false} (nothing stored).
	 */
	CompletableFuture<Boolean> setTagged(String key, T value, @Nullable Duration ttl, List<String> tags) {
		byte[] serialized = this.serializer.serialize(value);
		Duration effective = effectiveTtl(key, value, ttl);
		return versions(tags).handle((versions, ex) -> {
			if (ex != null) {
				if (this.failureMode == FailureMode.FAIL_FAST) {
					return CompletableFuture.<Boolean>failedFuture(ex);
				}
				return CompletableFuture.completedFuture(false);
			}
			return writeTagged(key, serialized, effective, 0, false, tags, versions);
		}).thenCompose((write) -> write);
	}

	/**
	 * Writes {@code value} carrying {@code tags} with the {@code versions} they had before it was
	 * computed, its TTL jittered; with the early refresh envelope's expiry when that is on.
	 */
	CompletableFuture<Boolean> writeTagged(String key, T value, @Nullable Duration ttl, long deltaMillis,
			boolean onlyIfAbsent, List<String> tags, long[] versions) {
		return writeTagged(key, this.serializer.serialize(value), effectiveTtl(key, value, ttl), deltaMillis, onlyIfAbsent,
				tags, versions);
	}

	private CompletableFuture<Boolean> writeTagged(String key, byte[] serialized, @Nullable Duration effective,
			long deltaMillis, boolean onlyIfAbsent, List<String> tags, long[] versions) {
		EntryStore bytes = this.store;
		if (this.tags == null || bytes == null) {
			throw new TagsNotSupportedException(this.below);
		}
		if (!this.envelopes || effective == null || effective.isZero()) {
			return bytes.write(key, TagEnvelope.wrap(serialized, 0, deltaMillis, tags, versions), effective, onlyIfAbsent);
		}
		long expiresAt = now() + Math.max(1, effective.toMillis());
		Duration physical = effective.plus(this.settings.getStaleGrace()).plus(refreshMargin(effective, deltaMillis));
		return bytes.write(key, TagEnvelope.wrap(serialized, expiresAt, deltaMillis, tags, versions), physical,
				onlyIfAbsent);
	}

	/** Writes {@code value} with {@code ttl} jittered; {@code deltaMillis}: how long loading it took. */
	CompletableFuture<Boolean> write(String key, T value, @Nullable Duration ttl, long deltaMillis, boolean onlyIfAbsent) {
		Duration effective = effectiveTtl(key, value, ttl);
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
	 * Writes a loaded {@code value} as {@link #write} does; loaded under the lease {@code token}
	 * (and when the engine {@link #fences() fences}), only while that lease is still the
	 * token's: the stored bytes go straight to the store, as entries with envelopes do.
	 * @return a future of whether it was stored ({@code false} with a token: the lease was lost)
	 */
	CompletableFuture<Boolean> writeLoaded(String key, T value, @Nullable Duration ttl, long deltaMillis,
			@Nullable String token) {
		FencedWrites writes = this.fenced;
		if (token == null || writes == null) {
			return write(key, value, ttl, deltaMillis, false);
		}
		Duration effective = effectiveTtl(key, value, ttl);
		byte[] serialized = this.serializer.serialize(value);
		if (!this.envelopes) {
			return writes.writeIfHeld(key, token, serialized, effective);
		}
		if (effective == null || effective.isZero()) {
			return writes.writeIfHeld(key, token, Envelope.wrap(serialized, 0, deltaMillis), effective);
		}
		long expiresAt = now() + Math.max(1, effective.toMillis());
		Duration physical = effective.plus(this.settings.getStaleGrace()).plus(refreshMargin(effective, deltaMillis));
		return writes.writeIfHeld(key, token, Envelope.wrap(serialized, expiresAt, deltaMillis), physical);
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

	/**
	 * The TTL a write of {@code value} gets: {@code ttl}, or given none the one a TTL function
	 * below answers for this value (else the default), jittered.
	 */
	private @Nullable Duration effectiveTtl(String key, T value, @Nullable Duration ttl) {
		return jittered((ttl != null) ? ttl : this.below.entryTtl(key, value));
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
