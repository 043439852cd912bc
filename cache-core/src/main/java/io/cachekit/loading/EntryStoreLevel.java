package io.cachekit.loading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheArguments;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.layer.TtlFunctionLayer;

/**
 * The plain reads and writes of a loading level, through {@link EntryAccess}: a logically expired
 * entry (kept for the stale grace) reads as a miss, a hit of a cache with time-to-idle resets
 * its TTL, and every write's TTL is jittered. Batch reads of a cache with envelopes or
 * time-to-idle, and batch writes of one with envelopes, are its entries one by one (such a batch
 * write is not atomic); the other operations are the level below's.
 *
 * @param <T> the value type
 */
class EntryStoreLevel<T> extends ForwardingCacheLevel<T> {

	private final EntryAccess<T> access;

	EntryStoreLevel(CacheLevel<T> below, LayerContext<T> context, EntryAccess<T> access) {
		super(below, context);
		this.access = access;
	}

	final EntryAccess<T> access() {
		return this.access;
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key) {
		return this.access.ownsReads() ? read(key, null) : super.get(key);
	}

	@Override
	public CompletableFuture<Optional<T>> get(String key, Executor decodeOn) {
		return this.access.ownsReads() ? read(key, decodeOn) : super.get(key, decodeOn);
	}

	/**
	 * The level below's answer from memory while reads are its reads (plain entries, no
	 * time-to-idle); with envelopes or tags, the entry a level below keeps for this one
	 * ({@link EntryAccess#valueNow}), logically expired entries a miss as {@link #get} has them.
	 */
	@Override
	public @Nullable Optional<T> getNow(String key) {
		if (!this.access.ownsReads()) {
			return below().getNow(key);
		}
		return this.access.valueNow(key);
	}

	private CompletableFuture<Optional<T>> read(String key, @Nullable Executor decodeOn) {
		try {
			return this.access.read(key, decodeOn).thenApply((found) -> found
				.filter((entry) -> !entry.isExpired(this.access.now()))
				.map(Entry::value));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl) {
		return write(key, value, ttl, false);
	}

	@Override
	public CompletableFuture<Boolean> add(String key, T value, @Nullable Duration ttl) {
		return write(key, value, ttl, true);
	}

	private CompletableFuture<Boolean> write(String key, T value, @Nullable Duration ttl, boolean onlyIfAbsent) {
		try {
			return this.access.write(key, value, ttl, 0, onlyIfAbsent);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys) {
		return this.access.ownsReads() ? readMany(keys, null) : super.getMany(keys);
	}

	@Override
	public CompletableFuture<Map<String, T>> getMany(Collection<String> keys, Executor decodeOn) {
		return this.access.ownsReads() ? readMany(keys, decodeOn) : super.getMany(keys, decodeOn);
	}

	private CompletableFuture<Map<String, T>> readMany(Collection<String> keys, @Nullable Executor decodeOn) {
		if (keys == null) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("keys must not be null"));
		}
		List<String> order = new ArrayList<>(keys);
		try {
			// named as a batch, as the engine's MGET names them, before anything is sent
			for (int i = 0; i < order.size(); i++) {
				CacheArguments.text(order.get(i), "keys[" + i + "]");
			}
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		List<CompletableFuture<Optional<T>>> reads = new ArrayList<>(order.size());
		for (String key : order) {
			reads.add(read(key, decodeOn));
		}
		return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply((done) -> {
			Map<String, T> found = new LinkedHashMap<>();
			for (int i = 0; i < order.size(); i++) {
				int index = i;
				reads.get(i).join().ifPresent((value) -> found.put(order.get(index), value));
			}
			return found;
		});
	}

	@Override
	public CompletableFuture<Boolean> setMany(Map<String, ? extends T> entries, @Nullable Duration ttl) {
		if (!this.access.envelopes()) {
			// one jittered TTL for the batch: its entries expire together, as one atomic write; given
			// no TTL, one batch per TTL a TTL function below answers (one batch without one)
			try {
				if (ttl == null && entries != null && !entries.isEmpty()) {
					return TtlFunctionLayer.setEach(TtlFunctionLayer.byTtl(entries, below()::entryTtl),
							(group, groupTtl) -> super.setMany(group, this.access.jittered(groupTtl)));
				}
				return super.setMany(entries, this.access.jittered(ttl));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		if (entries == null) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("entries must not be null"));
		}
		List<CompletableFuture<Boolean>> writes = new ArrayList<>(entries.size());
		entries.forEach((key, value) -> writes.add(write(key, value, ttl, false)));
		return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
			.thenApply((done) -> writes.stream().allMatch(CompletableFuture::join));
	}

	/** A tagged write where entries may carry tags; else the level below's (which refuses tags). */
	@Override
	public CompletableFuture<Boolean> set(String key, T value, @Nullable Duration ttl, Collection<String> tags) {
		try {
			List<String> list = EntryAccess.tagList(tags);
			if (list.isEmpty()) {
				return set(key, value, ttl);
			}
			return this.access.tagged() ? this.access.setTagged(key, value, ttl, list) : super.set(key, value, ttl, tags);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
