package io.cachekit.loading;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The loads in flight of one loading layer, by key, so that a write or delete of a key through
 * the layer makes a load of it that started earlier drop its value instead of storing it over
 * what the write left. Only loads in flight are held: a load's fence goes when it ends.
 *
 * <p>Order: a writer marks the fences of its key before it sends its own command, and a load
 * checks its fence and sends its write while holding the fence, so either the load's write is
 * sent first (and the writer's lands after it, on the same connection) or the load sees the mark
 * and stores nothing.
 */
final class LoadFences {

	private final ConcurrentHashMap<String, Set<Fence>> open = new ConcurrentHashMap<>();

	/** A load of {@code key} begins: its fence, to {@link #close} when it ends. */
	Fence open(String key) {
		Fence fence = new Fence(key);
		this.open.compute(key, (k, fences) -> {
			Set<Fence> set = (fences != null) ? fences : ConcurrentHashMap.newKeySet();
			set.add(fence);
			return set;
		});
		return fence;
	}

	void close(Fence fence) {
		this.open.computeIfPresent(fence.key, (k, fences) -> {
			fences.remove(fence);
			return fences.isEmpty() ? null : fences;
		});
	}

	/** {@code key} is about to be written or deleted: its loads in flight must not store. */
	void overtake(@Nullable String key) {
		Set<Fence> fences = (key != null) ? this.open.get(key) : null;
		if (fences != null) {
			fences.forEach(Fence::overtake);
		}
	}

	void overtake(Collection<String> keys) {
		for (String key : keys) {
			overtake(key);
		}
	}

	/** Every key may be written or deleted (a pattern, a clear): no load in flight stores. */
	void overtakeAll() {
		this.open.values().forEach((fences) -> fences.forEach(Fence::overtake));
	}

	/** One load's fence. */
	static final class Fence {

		private final String key;

		private boolean overtaken;

		private Fence(String key) {
			this.key = key;
		}

		private synchronized void overtake() {
			this.overtaken = true;
		}

		/**
		 * Sends {@code write} unless a write or delete of the key came since the load began;
		 * the check and the sending are one step against {@link LoadFences#overtake}.
		 * @return the write's future, or {@code null} when the load was overtaken
		 */
		synchronized <R> @Nullable R sendUnlessOvertaken(Supplier<R> write) {
			return this.overtaken ? null : write.get();
		}

	}

}
