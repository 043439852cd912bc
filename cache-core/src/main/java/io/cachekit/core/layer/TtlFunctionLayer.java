package io.cachekit.core.layer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.TtlFunction;

/**
 * A {@link TtlFunction} as a layer: writes given no TTL get the function's answer (the default
 * TTL when it answers {@code null}). It goes lowest, right over the engine
 * ({@link LayeredCacheBackendBuilder#ttlFunction} puts it there), and answers
 * {@link CacheLevel#entryTtl} for the layers over it, so a layer that derives TTLs itself (the
 * loading layer's jitter and logical expiry) derives them from the function's answer. A
 * {@code setMany} without a TTL whose entries get different TTLs is one {@code setMany} per TTL:
 * all-or-nothing per TTL, not across them.
 */
public final class TtlFunctionLayer implements CacheLayer {

	private final TtlFunction function;

	private TtlFunctionLayer(TtlFunction function) {
		this.function = function;
	}

	/**
	 * The layer asking {@code function} for the TTL of writes given none.
	 * @param function the TTL of an entry from its key and value
	 * @return the layer
	 */
	public static TtlFunctionLayer of(TtlFunction function) {
		return new TtlFunctionLayer(Objects.requireNonNull(function, "ttlFunction must not be null"));
	}

	/**
	 * The function this layer asks.
	 * @return the function
	 */
	public TtlFunction function() {
		return this.function;
	}

	@Override
	public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
		return new Level<>(below, context, this.function);
	}

	/**
	 * {@code entries} by the TTL each gets, in their order; {@code ttlOf} answers {@code null} for
	 * the default TTL, which is then a key of the answer like any other. A batch with a null or
	 * empty key or a null value is one group of TTL {@code null}, so the level below refuses it
	 * whole, before anything is sent.
	 * @param <T> the value type
	 * @param entries the entries of a batch write
	 * @param ttlOf the TTL of one entry
	 * @return the entries grouped by TTL
	 */
	public static <T> Map<@Nullable Duration, Map<String, T>> byTtl(Map<String, ? extends T> entries,
			BiFunction<String, T, @Nullable Duration> ttlOf) {
		Map<@Nullable Duration, Map<String, T>> groups = new LinkedHashMap<>();
		boolean wellFormed = wellFormed(entries);
		entries.forEach((key, value) -> groups.computeIfAbsent(wellFormed ? ttlOf.apply(key, value) : null,
				(ttl) -> new LinkedHashMap<>()).put(key, value));
		return groups;
	}

	/**
	 * {@code setMany} of each group with its TTL; true when every one stored all of its entries.
	 * @param <T> the value type
	 * @param groups the entries by TTL ({@link #byTtl})
	 * @param setMany one batch write
	 * @return a future of whether everything was stored
	 */
	public static <T> CompletableFuture<Boolean> setEach(Map<@Nullable Duration, Map<String, T>> groups,
			BiFunction<Map<String, T>, @Nullable Duration, CompletableFuture<Boolean>> setMany) {
		if (groups.size() == 1) {
			Map.Entry<@Nullable Duration, Map<String, T>> only = groups.entrySet().iterator().next();
			return setMany.apply(only.getValue(), only.getKey());
		}
		List<CompletableFuture<Boolean>> writes = new ArrayList<>(groups.size());
		groups.forEach((ttl, group) -> writes.add(setMany.apply(group, ttl)));
		return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
			.thenApply((done) -> writes.stream().allMatch(CompletableFuture::join));
	}

	private static boolean wellFormed(Map<String, ?> entries) {
		for (Map.Entry<String, ?> entry : entries.entrySet()) {
			if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getValue() == null) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return "TtlFunctionLayer[" + this.function + "]";
	}

	/** The level: a write given no TTL gets the function's. */
	private static final class Level<T> extends ForwardingCacheLevel<T> {

		private final TtlFunction function;

		Level(CacheLevel<T> below, LayerContext<T> context, TtlFunction function) {
			super(below, context);
			this.function = function;
		}

		@Override
		public @Nullable Duration entryTtl(String key, T value) {
			Duration ttl = this.function.ttl(key, value);
			if (ttl != null && ttl.isNegative()) {
				throw new IllegalArgumentException("the TtlFunction answered a negative TTL (" + ttl + ") for key '" + key
						+ "'; answer ZERO for no expiry or null for the default TTL");
			}
			return (ttl != null) ? ttl : below().entryTtl(key, value);
		}

		/** The TTL of a write: the given one, else the function's; {@code null} for bad arguments (the level below refuses them). */
		private @Nullable Duration ttl(@Nullable String key, @Nullable T value, @Nullable Duration ttl) {
			return (ttl != null || key == null || key.isEmpty() || value == null) ? ttl : entryTtl(key, value);
		}

		@Override
		public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
			try {
				return below().set(key, value, ttl(key, value, ttl));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		@Override
		public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
			try {
				return below().add(key, value, ttl(key, value, ttl));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		@Override
		public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
			if (ttl != null || entries == null || entries.isEmpty()) {
				return below().setMany(entries, ttl);
			}
			try {
				return setEach(byTtl(entries, this::entryTtl), below()::setMany);
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

	}

}
