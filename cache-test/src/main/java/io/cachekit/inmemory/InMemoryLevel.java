package io.cachekit.inmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheDefaults;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.AwaitingCacheBackend;
import io.cachekit.core.layer.CacheLevel;

/**
 * The in-memory engine: the bottom level of an {@link InMemoryCacheBackend}'s stack, for one value
 * type. Each operation runs on the caller's thread against the {@link InMemoryStore} and answers a
 * completed future; an exception (a bad argument, a wrong-type key) completes it exceptionally
 * instead of being thrown, as with Redis. Values are decoded where they are read, so the
 * {@code decodeOn} of {@link CacheLevel#get(String, java.util.concurrent.Executor)} is not needed.
 *
 * @param <T> the value type
 */
final class InMemoryLevel<T> implements CacheLevel<T> {

	private final InMemoryEngine engine;

	private final InMemoryStore store;

	private final InMemoryCodec<T> codec;

	private final CacheBackend<T> sync;

	InMemoryLevel(InMemoryEngine engine, CacheSerializer<T> serializer) {
		this.engine = engine;
		this.store = engine.store();
		this.codec = new InMemoryCodec<>(serializer, engine.failureMode());
		this.sync = new AwaitingCacheBackend<>(this, CacheDefaults.COMMAND_TIMEOUT, engine.failureMode(),
				InMemoryEngine.TARGET);
	}

	private static <R> CompletableFuture<R> call(Supplier<R> operation) {
		try {
			return CompletableFuture.completedFuture(operation.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return call(() -> {
			String k = this.engine.key(key);
			byte[] bytes = this.store.get(k);
			return (bytes != null) ? readOrDrop("get", k, bytes) : Optional.empty();
		});
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.store.set(this.engine.key(key), this.codec.encode(value), this.engine.ttlMillis(ttl), false));
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return call(() -> this.store.set(this.engine.key(key), this.codec.encode(value), this.engine.ttlMillis(ttl), true));
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return call(() -> this.store.del(this.engine.key(key)));
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return call(() -> this.store.contains(this.engine.key(key)));
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return call(() -> {
			String k = this.engine.key(key);
			return this.store.expire(k, CacheArguments.ttlMillis(CacheArguments.notNull(ttl, "ttl"), "ttl", 0));
		});
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return call(() -> {
			String k = this.engine.key(key);
			return this.store.expireAt(k, CacheArguments.notNull(instant, "instant").toEpochMilli());
		});
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return call(() -> this.store.persist(this.engine.key(key)));
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return call(() -> {
			long millis = this.store.pttl(this.engine.key(key));
			return (millis >= 0) ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
		});
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return call(() -> this.store.deleteMatching(this.engine.pattern(pattern)));
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return call(() -> {
			this.store.deleteMatching(this.engine.all());
			return true;
		});
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return call(() -> {
			List<String> full = this.engine.keys(keys);
			if (full.isEmpty()) {
				return Collections.emptyMap();
			}
			Map<String, T> found = new LinkedHashMap<>();
			this.store.getMany(full).forEach((k, bytes) -> readOrDrop("getMany", k, bytes)
				.ifPresent((value) -> found.put(this.engine.unprefixed(k), value)));
			return found;
		});
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return call(() -> {
			CacheArguments.notNull(entries, "entries");
			long millis = this.engine.ttlMillis(ttl);
			if (entries.isEmpty()) {
				return true;
			}
			Map<String, byte[]> encoded = new LinkedHashMap<>(entries.size() * 2);
			int i = 0;
			for (Map.Entry<String, ? extends T> entry : entries.entrySet()) {
				String k = this.engine.key(entry.getKey(), "entries key #" + i);
				encoded.put(k, this.codec.encode(CacheArguments.notNull(entry.getValue(), "entries value for key '" + entry.getKey() + "'")));
				i++;
			}
			this.store.setMany(encoded, millis);
			return true;
		});
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return call(() -> {
			List<String> full = this.engine.keys(keys);
			return full.isEmpty() ? 0L : this.store.deleteMany(full);
		});
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return call(() -> this.store.incr(this.engine.key(key), initial, amount, this.engine.ttlMillis(ttl)));
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return call(() -> {
			String k = this.engine.key(key);
			return this.store.addToSet(k, List.of(CacheArguments.notNull(member, "member"))) > 0;
		});
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return call(() -> {
			String k = this.engine.key(key);
			CacheArguments.notNull(members, "members");
			if (members.isEmpty()) {
				return 0L;
			}
			List<String> checked = new ArrayList<>(members.size());
			int i = 0;
			for (String member : members) {
				checked.add(CacheArguments.notNull(member, "members[" + i + "]"));
				i++;
			}
			return this.store.addToSet(k, checked);
		});
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return call(() -> this.store.members(this.engine.key(key)));
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return call(() -> {
			String k = this.engine.key(key);
			return this.store.removeFromSet(k, CacheArguments.notNull(member, "member"));
		});
	}

	/** Always {@code true}: there is no server to be down. */
	@Override
	public CompletableFuture<Boolean> ping() {
		return CompletableFuture.completedFuture(true);
	}

	/** The value, or empty for unreadable bytes in fail-open mode, which are deleted unless configured otherwise. */
	private Optional<T> readOrDrop(String operation, String fullKey, byte[] bytes) {
		Optional<T> value = this.codec.decode(operation, fullKey, bytes);
		if (value.isEmpty() && this.engine.deleteUnreadableEntries()) {
			this.store.del(fullKey);
		}
		return value;
	}

}
