package io.cachekit.redis.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.internal.QuickDecoding;
import io.cachekit.core.layer.AwaitingCacheBackend;
import io.cachekit.core.layer.CacheLevel;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import static io.cachekit.redis.internal.CommandRunner.guarded;

/**
 * The Redis engine: the bottom level of a backend's stack, for one value type. The operations on
 * values (get, set, add and their batches) are built here from validated keys and encoded values;
 * those without a value are {@link KeyCommands}' (shared by every view of a backend); each runs
 * through the {@link CommandRunner}.
 *
 * @param <T> the value type
 */
final class RedisEngine<T> implements CacheLevel<T> {

	private final KeyCommands commands;

	private final CommandRunner runner;

	private final Keys keys;

	private final ValueCodec<T> codec;

	private final Executor decodeExecutor;

	private final boolean deleteUnreadable;

	private final CacheBackend<T> sync;

	private io.cachekit.loading.@Nullable TagVersions tags;

	RedisEngine(KeyCommands commands, ValueCodec<T> codec, Executor decodeExecutor, boolean deleteUnreadable,
			Duration commandTimeout, String target) {
		this.commands = commands;
		this.runner = commands.runner();
		this.keys = commands.keys();
		this.codec = codec;
		this.decodeExecutor = decodeExecutor;
		this.deleteUnreadable = deleteUnreadable;
		this.sync = new AwaitingCacheBackend<>(this, commandTimeout, this.runner.mode(), target);
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return this.runner.bounded("get", System.nanoTime(), get(key, this.decodeExecutor, this::smallValue),
				Optional.empty());
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		return get(key, decodeOn, null);
	}

	/** A reply this engine's serializer decodes where it arrives (see {@link QuickDecoding}). */
	private boolean smallValue(byte @Nullable [] bytes) {
		return bytes == null || QuickDecoding.inPlace(this.codec.serializer(), bytes.length);
	}

	/** Small values of all the keys together, as {@link #smallValue}. */
	private boolean smallValues(@Nullable List<KeyValue<String, byte[]>> replies) {
		if (replies == null) {
			return true;
		}
		long total = 0;
		for (KeyValue<String, byte[]> reply : replies) {
			total += reply.hasValue() ? reply.getValue().length : 0;
		}
		return QuickDecoding.inPlace(this.codec.serializer(), total);
	}

	private CompletableFuture<Optional<T>> get(String key, Executor decodeOn,
			@Nullable Predicate<byte @Nullable []> inPlace) {
		return guarded(() -> {
			String k = this.keys.key(key);
			return this.runner.run("get", k, Optional.empty(), Policy.ABSORB, decodeOn, inPlace,
					(c) -> c.send((r) -> r.dispatch(CommandType.GET, new SingleValueOutput<>(RedisConnector.CODEC),
							new CommandArgs<>(RedisConnector.CODEC).addKey(k))),
					(bytes) -> (bytes == null) ? Optional.empty() : Optional.of(readOrDrop("get", k, bytes)));
		});
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return guarded(() -> {
			String k = this.keys.key(key);
			byte[] bytes = this.codec.encode(value);
			SetArgs args = setArgs(this.keys.ttlMillis(ttl));
			return this.runner.run("set", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.set(k, bytes, args)), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return guarded(() -> {
			String k = this.keys.key(key);
			byte[] bytes = this.codec.encode(value);
			SetArgs args = setArgs(this.keys.ttlMillis(ttl)).nx();
			return this.runner.run("add", k, false, Policy.ABSORB, null, (c) -> c.send((r) -> r.set(k, bytes, args)), "OK"::equals);
		});
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return this.runner.bounded("getMany", System.nanoTime(), getMany(keys, this.decodeExecutor, this::smallValues),
				Collections.emptyMap());
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		return getMany(keys, decodeOn, null);
	}

	private CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn,
			@Nullable Predicate<@Nullable List<KeyValue<String, byte[]>>> inPlace) {
		return guarded(() -> {
			String[] redisKeys = this.keys.keys(keys);
			if (redisKeys.length == 0) {
				return CompletableFuture.completedFuture(Collections.emptyMap());
			}
			return this.runner.run("getMany", null, Collections.emptyMap(), Policy.ABSORB, decodeOn, inPlace,
					(c) -> SlotGroups.mget(c, redisKeys), this::readAll);
		});
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return guarded(() -> {
			Keys.notNull(entries, "entries");
			long millis = this.keys.ttlMillis(ttl);
			if (entries.isEmpty()) {
				return CompletableFuture.completedFuture(true);
			}
			Map<String, byte[]> encoded = new LinkedHashMap<>(entries.size() * 2);
			int i = 0;
			for (Map.Entry<String, ? extends T> entry : entries.entrySet()) {
				String k = this.keys.prefix() + Keys.check(entry.getKey(), "entries key #" + i);
				encoded.put(k, this.codec.encode(Keys.notNull(entry.getValue(), "entries value for key '" + entry.getKey() + "'")));
				i++;
			}
			byte[] ttlArg = KeyCommands.ascii(millis);
			return this.runner.run("setMany", null, false, Policy.ABSORB, null, (c) -> setManyBySlot(c, encoded, ttlArg),
					(n) -> KeyCommands.reply(n) == encoded.size());
		});
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return this.commands.delete(key);
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return this.commands.exists(key);
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return this.commands.expire(key, ttl);
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return this.commands.expireAt(key, instant);
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return this.commands.persist(key);
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return this.commands.getTtl(key);
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return this.commands.invalidatePattern(pattern);
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return this.commands.clear();
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return this.commands.deleteMany(keys);
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return this.commands.incr(key, amount, initial, ttl);
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return this.commands.addToSet(key, member);
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return this.commands.addManyToSet(key, members);
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return this.commands.getSetMembers(key);
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return this.commands.removeFromSet(key, member);
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return this.commands.ping();
	}

	// ---- what the operations decide about values they read ------------------------------

	/** The value under {@code redisKey}; an unreadable one is dropped from Redis in fail-open mode (when configured). */
	private T readOrDrop(String operation, String redisKey, byte[] bytes) {
		try {
			return this.codec.decode(operation, redisKey, bytes);
		}
		catch (CacheSerializationException ex) {
			if (this.deleteUnreadable && this.runner.mode() == FailureMode.FAIL_OPEN) {
				this.runner.sendAndForget(redisKey, (c) -> c.send((r) -> r.unlink(redisKey)));
			}
			throw ex;
		}
	}

	/** MGET's hits; in fail-open mode one unreadable entry is a miss (and counted), not a failed batch. */
	private Map<String, T> readAll(@Nullable List<KeyValue<String, byte[]>> values) {
		Map<String, T> found = new LinkedHashMap<>(Math.max(4, KeyCommands.reply(values).size() * 2));
		for (KeyValue<String, byte[]> kv : values) {
			if (kv.hasValue()) {
				try {
					found.put(this.keys.unprefix(kv.getKey()), readOrDrop("getMany", kv.getKey(), kv.getValue()));
				}
				catch (CacheSerializationException ex) {
					if (this.runner.mode() == FailureMode.FAIL_FAST) {
						throw ex;
					}
					this.runner.recordAbsorbed("getMany", ex);
				}
			}
		}
		return found;
	}

	private CompletionStage<Long> setManyBySlot(Route c, Map<String, byte[]> encoded, byte[] ttlArg) {
		CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
		for (Map<String, byte[]> group : SlotGroups.of(encoded, this.runner.isCluster())) {
			String[] groupKeys = group.keySet().toArray(String[]::new);
			byte[][] args = new byte[groupKeys.length + 1][];
			args[0] = ttlArg;
			int i = 1;
			for (byte[] value : group.values()) {
				args[i++] = value;
			}
			total = total.thenCombine(Script.SET_MANY.run(c.forKey(groupKeys[0]), groupKeys, args), Long::sum);
		}
		return total;
	}

	private static SetArgs setArgs(long ttlMillis) {
		return (ttlMillis > 0) ? SetArgs.Builder.px(ttlMillis) : new SetArgs();
	}

	/** This level with the engine's tag versions, through which {@link #invalidateTag} writes. */
	RedisEngine<T> withTags(io.cachekit.loading.TagVersions tags) {
		this.tags = tags;
		return this;
	}

	/** One increment of the tag's version key; the engine's tracking tells this JVM's caches at once. */
	@Override
	public CompletableFuture<Boolean> invalidateTag(String tag) {
		io.cachekit.loading.TagVersions versions = this.tags;
		return (versions != null) ? versions.invalidate(tag) : CacheLevel.super.invalidateTag(tag);
	}

}
