package io.cachekit.core.layer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheBackend;

/**
 * A level that hands every operation to the level below it: a layer extends it and overrides
 * what it changes. Its blocking face is {@link AwaitingCacheBackend} over this level.
 *
 * @param <T> the value type
 */
public abstract class ForwardingCacheLevel<T> implements CacheLevel<T> {

	private final CacheLevel<T> below;

	private final CacheBackend<T> sync;

	private final boolean readsAsBelow;

	/**
	 * A level over {@code below}.
	 * @param below the level every operation is handed to
	 * @param context the stack's context, for the blocking face's bounds
	 */
	protected ForwardingCacheLevel(CacheLevel<T> below, LayerContext<T> context) {
		this.below = below;
		this.sync = new AwaitingCacheBackend<>(this, context.commandTimeout(), context.failureMode(), context.target());
		this.readsAsBelow = inherits("get", String.class) && inherits("get", String.class, Executor.class);
	}

	/**
	 * Whether this class leaves {@code name(parameterTypes)} as this base class has it: only a
	 * level whose reads are the level below's may pass {@link #getNow} down, else a layer that
	 * filters or changes its reads (and does not know of {@code getNow}) would be bypassed.
	 */
	private boolean inherits(String name, Class<?>... parameterTypes) {
		try {
			return getClass().getMethod(name, parameterTypes).getDeclaringClass() == ForwardingCacheLevel.class;
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The level below this one.
	 * @return the level operations are handed to
	 */
	protected final CacheLevel<T> below() {
		return this.below;
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return this.below.get(key);
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		return this.below.get(key, decodeOn);
	}

	/**
	 * {@inheritDoc}
	 * <p>Here: the level below's answer when this class overrides neither {@code get} method (its
	 * reads are the level below's), else {@code null}. A layer that overrides {@code get} and can
	 * answer from memory overrides this too.
	 */
	@Override
	public @Nullable Optional<T> getNow(String key) {
		return this.readsAsBelow ? this.below.getNow(key) : null;
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return this.below.set(key, value, ttl);
	}

	/** Passed down: the level that keeps reads (a near cache) is below. */
	@Override
	public <E> @Nullable CompletableFuture<Optional<E>> readStored(String key, StoredDecoder<E> decode,
			@Nullable Executor decodeOn) {
		return this.below.readStored(key, decode, decodeOn);
	}

	@Override
	public <E> @Nullable Optional<E> readStoredNow(String key, StoredDecoder<E> decode) {
		return this.below.readStoredNow(key, decode);
	}

	@Override
	public @Nullable Duration entryTtl(String key, T value) {
		return this.below.entryTtl(key, value);
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return this.below.add(key, value, ttl);
	}

	@Override
	public CompletableFuture<Boolean> delete(String key) {
		return this.below.delete(key);
	}

	@Override
	public CompletableFuture<Boolean> exists(String key) {
		return this.below.exists(key);
	}

	@Override
	public CompletableFuture<Boolean> expire(String key, Duration ttl) {
		return this.below.expire(key, ttl);
	}

	@Override
	public CompletableFuture<Boolean> expireAt(String key, Instant instant) {
		return this.below.expireAt(key, instant);
	}

	@Override
	public CompletableFuture<Boolean> persist(String key) {
		return this.below.persist(key);
	}

	@Override
	public CompletableFuture<Optional<Duration>> getTtl(String key) {
		return this.below.getTtl(key);
	}

	@Override
	public CompletableFuture<Long> invalidatePattern(String pattern) {
		return this.below.invalidatePattern(pattern);
	}

	@Override
	public CompletableFuture<Boolean> clear() {
		return this.below.clear();
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return this.below.getMany(keys);
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		return this.below.getMany(keys, decodeOn);
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		return this.below.setMany(entries, ttl);
	}

	@Override
	public CompletableFuture<Long> deleteMany(Collection<String> keys) {
		return this.below.deleteMany(keys);
	}

	@Override
	public CompletableFuture<Long> incr(String key, long amount, long initial, @Nullable Duration ttl) {
		return this.below.incr(key, amount, initial, ttl);
	}

	@Override
	public CompletableFuture<Boolean> addToSet(String key, String member) {
		return this.below.addToSet(key, member);
	}

	@Override
	public CompletableFuture<Long> addManyToSet(String key, Collection<String> members) {
		return this.below.addManyToSet(key, members);
	}

	@Override
	public CompletableFuture<Set<String>> getSetMembers(String key) {
		return this.below.getSetMembers(key);
	}

	@Override
	public CompletableFuture<Boolean> removeFromSet(String key, String member) {
		return this.below.removeFromSet(key, member);
	}

	@Override
	public CompletableFuture<Boolean> ping() {
		return this.below.ping();
	}

	/**
	 * {@inheritDoc}
	 * <p>Passed down with the same {@code top}: the level that loads (a loading layer below, or the
	 * engine's plain GET, load, SET) reads through the whole stack, this level included.
	 */
	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		return this.below.getOrLoad(key, loader, ttl, loadOn, top);
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		return this.below.set(key, value, ttl, tags);
	}

	@Override
	public CompletableFuture<T> getOrLoad(String key, Supplier<? extends CompletionStage<? extends T>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, Collection<String> tags) {
		return this.below.getOrLoad(key, loader, ttl, loadOn, tags);
	}

	@Override
	public CompletableFuture<Boolean> invalidateTag(String tag) {
		return this.below.invalidateTag(tag);
	}

	/**
	 * {@inheritDoc}
	 * <p>Passed down with the same {@code top}, as {@code getOrLoad} is.
	 */
	@Override
	public CompletableFuture<Map<String, T>> getAllOrLoad(Collection<String> keys,
			Function<? super Set<String>, ? extends CompletionStage<? extends Map<String, ? extends T>>> loader,
			@Nullable Duration ttl, @Nullable Executor loadOn, CacheLevel<T> top) {
		return this.below.getAllOrLoad(keys, loader, ttl, loadOn, top);
	}

}
