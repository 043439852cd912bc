package io.cachekit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A key-value cache: the synchronous face. Every call waits at most for the backend's command
 * timeout; the same operations are available without blocking through {@link #async()}.
 *
 * <p><b>Keys</b> are non-empty strings, namespaced by the backend's prefix. <b>Values</b> are
 * non-null and written by the backend's {@link CacheSerializer}. <b>TTL</b>: {@code null} (or an
 * overload without it) means the backend's default TTL, {@link Duration#ZERO} means no expiry,
 * a negative duration is rejected, and a positive TTL under a millisecond counts as one.
 *
 * <p><b>Failures</b> follow the backend's {@link FailureMode}: in {@code FAIL_OPEN} a Redis
 * outage makes reads answer a miss and writes answer {@code false} or {@code 0}; in
 * {@code FAIL_FAST} it throws {@link CacheException}. Programming errors (a bad key, a negative
 * TTL, a value the serializer cannot write, a key holding the wrong kind of value) throw in
 * both modes.
 *
 * @param <T> the value type
 */
public interface CacheBackend<T> {

	/**
	 * The value under {@code key}.
	 * @param key the key, without the backend's prefix
	 * @return the value, or empty when absent (or unreadable, in fail-open mode)
	 */
	Optional<T> get(String key);

	/**
	 * Stores {@code value} with the default TTL.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @return {@code true} when stored
	 */
	default boolean set(String key, T value) {
		return set(key, value, null);
	}

	/**
	 * Stores {@code value} with {@code ttl}.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return {@code true} when stored
	 */
	boolean set(String key, T value, @Nullable Duration ttl);

	/**
	 * Stores {@code value} only if {@code key} is absent (SET NX), with the default TTL.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @return {@code true} only if it was stored
	 */
	default boolean add(String key, T value) {
		return add(key, value, null);
	}

	/**
	 * Stores {@code value} only if {@code key} is absent (SET NX).
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return {@code true} only if it was stored
	 */
	boolean add(String key, T value, @Nullable Duration ttl);

	/**
	 * Removes {@code key}.
	 * @param key the key, without the backend's prefix
	 * @return {@code true} if a key was removed
	 */
	boolean delete(String key);

	/**
	 * Whether {@code key} exists.
	 * @param key the key, without the backend's prefix
	 * @return {@code true} if it exists
	 */
	boolean exists(String key);

	/**
	 * Sets the TTL of an existing key.
	 * @param key the key, without the backend's prefix
	 * @param ttl the new time to live; {@link Duration#ZERO}: remove its expiry
	 * @return {@code true} if the key exists
	 */
	boolean expire(String key, Duration ttl);

	/**
	 * Makes an existing key expire at {@code instant}.
	 * @param key the key, without the backend's prefix
	 * @param instant when it expires
	 * @return {@code true} if the key exists
	 */
	boolean expireAt(String key, Instant instant);

	/**
	 * Removes the expiry of {@code key}.
	 * @param key the key, without the backend's prefix
	 * @return {@code true} if the key existed and had one
	 */
	boolean persist(String key);

	/**
	 * The remaining time to live of {@code key}.
	 * @param key the key, without the backend's prefix
	 * @return the remaining time; empty when the key is absent or does not expire
	 */
	Optional<Duration> getTtl(String key);

	/**
	 * Removes every key of this backend matching the glob {@code pattern} (Redis MATCH syntax),
	 * matched inside the backend's prefix only.
	 * @param pattern the glob, without the backend's prefix
	 * @return the number of keys removed
	 */
	long invalidatePattern(String pattern);

	/**
	 * Removes every key of this backend (and no other).
	 * @return {@code true} when done
	 */
	boolean clear();

	/**
	 * The values of the {@code keys} that are present.
	 * @param keys the keys, without the backend's prefix
	 * @return the values found, in request order; absent keys are not in the map
	 */
	Map<String, T> getMany(Collection<String> keys);

	/**
	 * Stores all entries with the default TTL, atomically.
	 * @param entries keys (without the backend's prefix) and their values
	 * @return {@code true} when all were stored
	 */
	default boolean setMany(Map<String, ? extends T> entries) {
		return setMany(entries, null);
	}

	/**
	 * Stores all entries with {@code ttl}. All-or-nothing on a single Redis or Sentinel; on a
	 * cluster, per hash slot.
	 * @param entries keys (without the backend's prefix) and their values
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return {@code true} when all were stored
	 */
	boolean setMany(Map<String, ? extends T> entries, @Nullable Duration ttl);

	/**
	 * Removes the {@code keys}.
	 * @param keys the keys, without the backend's prefix
	 * @return the number removed
	 */
	long deleteMany(Collection<String> keys);

	/**
	 * Adds 1 to the counter, creating it at 0 with the default TTL.
	 * @param key the counter's key, without the backend's prefix
	 * @return the new value
	 */
	default long incr(String key) {
		return incr(key, 1, 0, null);
	}

	/**
	 * Adds {@code amount} to the counter, creating it at 0 with the default TTL.
	 * @param key the counter's key, without the backend's prefix
	 * @param amount what to add
	 * @return the new value
	 */
	default long incr(String key, long amount) {
		return incr(key, amount, 0, null);
	}

	/**
	 * Adds {@code amount} to the counter under {@code key}, atomically. A missing counter is first
	 * created at {@code initial} with {@code ttl} ({@code null}: default TTL, {@code ZERO}: none), so
	 * the first call answers {@code initial + amount}; the TTL is set only at creation (a fixed
	 * window). Throws {@link CacheException} on a backend failure in every failure mode, having no
	 * honest neutral answer.
	 * @param key the counter's key, without the backend's prefix
	 * @param amount what to add
	 * @param initial the value a missing counter is created at
	 * @param ttl time to live of a counter created by this call; {@code null}: the default TTL,
	 *     {@link Duration#ZERO}: none
	 * @return the new value
	 */
	long incr(String key, long amount, long initial, @Nullable Duration ttl);

	/**
	 * Subtracts 1 from the counter, creating it at 0 with the default TTL.
	 * @param key the counter's key, without the backend's prefix
	 * @return the new value
	 */
	default long decr(String key) {
		return incr(key, -1, 0, null);
	}

	/**
	 * Subtracts {@code amount} from the counter, creating it at 0 with the default TTL.
	 * @param key the counter's key, without the backend's prefix
	 * @param amount what to subtract
	 * @return the new value
	 */
	default long decr(String key, long amount) {
		return incr(key, -amount, 0, null);
	}

	/**
	 * As {@link #incr(String, long, long, Duration)} with {@code -amount}.
	 * @param key the counter's key, without the backend's prefix
	 * @param amount what to subtract
	 * @param initial the value a missing counter is created at
	 * @param ttl time to live of a counter created by this call; {@code null}: the default TTL,
	 *     {@link Duration#ZERO}: none
	 * @return the new value
	 */
	default long decr(String key, long amount, long initial, @Nullable Duration ttl) {
		return incr(key, -amount, initial, ttl);
	}

	/**
	 * Adds {@code member} to the set under {@code key}.
	 * @param key the set's key, without the backend's prefix
	 * @param member the member to add
	 * @return {@code true} if it was not there
	 */
	boolean addToSet(String key, String member);

	/**
	 * Adds {@code members} to the set under {@code key}.
	 * @param key the set's key, without the backend's prefix
	 * @param members the members to add
	 * @return the number newly added
	 */
	long addManyToSet(String key, Collection<String> members);

	/**
	 * The members of the set under {@code key}.
	 * @param key the set's key, without the backend's prefix
	 * @return the members; empty when absent
	 */
	Set<String> getSetMembers(String key);

	/**
	 * Removes {@code member} from the set under {@code key}.
	 * @param key the set's key, without the backend's prefix
	 * @param member the member to remove
	 * @return {@code true} if it was there
	 */
	boolean removeFromSet(String key, String member);

	/**
	 * Whether Redis answered a PING (never throws for an outage, in either mode).
	 * @return {@code true} when Redis answered
	 */
	boolean ping();

	/**
	 * The value under {@code key}, or {@code loader}'s, stored with the default TTL: see
	 * {@link #getOrLoad(String, Callable, Duration)}.
	 * @param key the key, without the backend's prefix
	 * @param loader computes the value on a miss; must not answer {@code null}
	 * @return the cached or loaded value
	 */
	default T getOrLoad(String key, Callable<? extends T> loader) {
		return getOrLoad(key, loader, null);
	}

	/**
	 * The value under {@code key}; on a miss, {@code loader}'s value, stored under {@code key}
	 * with {@code ttl} and returned. This default is a plain GET, load, SET: a backend with a
	 * loading layer (stampede protection) runs one load per key at a time, across JVMs. The
	 * loader runs on the calling thread. A loader's {@code RuntimeException} or {@code Error}
	 * propagates as it is, a checked exception wrapped in a {@link CacheLoadException}; a loader
	 * answering {@code null} is a {@link CacheLoadException}. In fail-open mode an outage makes
	 * the read a miss and the write a no-op, so the caller gets the loaded value; in fail-fast
	 * mode a failed read throws {@link CacheException}, and a failed write after a successful
	 * load is counted but does not fail the call.
	 * @param key the key, without the backend's prefix
	 * @param loader computes the value on a miss; must not answer {@code null}
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return the cached or loaded value
	 */
	default T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl) {
		Objects.requireNonNull(loader, "loader must not be null");
		Optional<T> cached = get(key);
		if (cached.isPresent()) {
			return cached.get();
		}
		T value = CacheLoadException.call(key, loader);
		try {
			set(key, value, ttl);
		}
		catch (CacheException ex) {
			// the value was loaded: a failed write does not take it from the caller
		}
		return value;
	}

	/**
	 * The non-blocking face of this backend: the same operations, answering futures.
	 * @return the asynchronous view of this backend
	 */
	AsyncCacheBackend<T> async();

	/**
	 * Stores {@code value} with {@code ttl}, carrying {@code tags}: once any of them is
	 * invalidated ({@link #invalidateTag(String)}), the entry is a miss, on every instance. The
	 * entry records the versions its tags had when it was written (in its envelope); tag versions
	 * live in keys of their own ({@code <prefix>__tag:{<tag>}}). Needs a loading layer with tags
	 * on over the Redis engine; this default stores an untagged value when {@code tags} is empty
	 * and throws {@link TagsNotSupportedException} otherwise.
	 * @param key the key, without the backend's prefix
	 * @param value the value, not {@code null}
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param tags the entry's tags, non-empty strings (none: an untagged write)
	 * @return {@code true} when stored
	 */
	default boolean set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		Objects.requireNonNull(tags, "tags must not be null");
		if (tags.isEmpty()) {
			return set(key, value, ttl);
		}
		throw new TagsNotSupportedException(this);
	}

	/**
	 * {@link #getOrLoad(String, Callable, Duration)} whose loaded value carries {@code tags}. The
	 * versions the entry records are read before the loader is called, so an invalidation of one
	 * of its tags while the loader runs leaves the loaded value a miss for later readers (the
	 * caller still gets it). Throws {@link TagsNotSupportedException} for tags on a backend
	 * without them (this default).
	 * @param key the key, without the backend's prefix
	 * @param loader computes the value on a miss; must not answer {@code null}
	 * @param ttl time to live of a loaded value; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param tags the tags of a loaded entry (none: an untagged load)
	 * @return the cached or loaded value
	 */
	default T getOrLoad(String key, Callable<? extends T> loader, @Nullable Duration ttl, Collection<String> tags) {
		Objects.requireNonNull(tags, "tags must not be null");
		if (tags.isEmpty()) {
			return getOrLoad(key, loader, ttl);
		}
		throw new TagsNotSupportedException(this);
	}

	/**
	 * Invalidates {@code tag}: every entry carrying it (written before this call) is a miss from
	 * the moment this call returns, in this JVM, and on other instances as soon as Redis' tracking
	 * invalidation reaches them (the near cache's bound). One write (an increment of the tag's
	 * version key), whatever the number of entries: no SCAN, one key on a cluster. The entries
	 * themselves stay in Redis until overwritten or expired. In fail-open mode an outage answers
	 * {@code false} (nothing was invalidated); in fail-fast mode it throws {@link CacheException}.
	 * This default throws {@link TagsNotSupportedException}.
	 * @param tag the tag, a non-empty string
	 * @return {@code true} once the invalidation is written
	 */
	default boolean invalidateTag(String tag) {
		throw new TagsNotSupportedException(this);
	}

	/**
	 * The values of {@code keys}, those missing loaded by {@code loader} in one call and stored
	 * with the default TTL: see {@link #getAllOrLoad(Collection, Function, Duration)}.
	 * @param keys the keys, without the backend's prefix
	 * @param loader loads the missing keys it is given, in one call
	 * @return the value of each key found or loaded, in request order
	 */
	default Map<String, T> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends Map<String, ? extends T>> loader) {
		return getAllOrLoad(keys, loader, null);
	}

	/**
	 * The values of {@code keys}: one {@link #getMany} for those present, one call of
	 * {@code loader} with exactly the keys missing (not at all when none is), and one
	 * {@link #setMany} with {@code ttl} of what it answered. The loader's answer may leave keys
	 * out (or map them to {@code null}): they are neither stored nor in the result; keys it was
	 * not asked for are ignored. Repeated keys count once. A backend with a loading layer
	 * coalesces loads per key in this JVM: a key another caller is loading is not loaded again,
	 * this call waits for it (a key that caller's loader left out is left out here too); loads
	 * are not leased across JVMs. The loader runs on the calling thread; its
	 * {@code RuntimeException} or {@code Error} propagates as it is, a {@code null} answer is a
	 * {@link CacheLoadException}. Failures of the read and the write follow the failure mode as
	 * in {@link #getOrLoad(String, Callable, Duration)}.
	 * @param keys the keys, without the backend's prefix
	 * @param loader loads the missing keys it is given, in one call; must not answer {@code null}
	 * @param ttl time to live of loaded values; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return the value of each key found or loaded, in request order
	 */
	default Map<String, T> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, @Nullable Duration ttl) {
		Objects.requireNonNull(loader, "loader must not be null");
		Set<String> distinct = BulkLoad.distinct(keys);
		if (distinct.isEmpty()) {
			return Map.of();
		}
		Map<String, T> found = getMany(distinct);
		Set<String> missing = BulkLoad.missing(distinct, found);
		if (missing.isEmpty()) {
			return BulkLoad.answer(distinct, found, Map.of());
		}
		Map<String, T> loaded = BulkLoad.loaded(missing, loader.apply(missing));
		if (!loaded.isEmpty()) {
			try {
				setMany(loaded, ttl);
			}
			catch (CacheException ex) {
				// the values were loaded: a failed write does not take them from the caller
			}
		}
		return BulkLoad.answer(distinct, found, loaded);
	}

}
