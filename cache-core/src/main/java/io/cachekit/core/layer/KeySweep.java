package io.cachekit.core.layer;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Removes the keys of a pattern that a caller picks one by one: an engine service
 * ({@code LayerContext.service(KeySweep.class)}) for clean-ups that a glob alone cannot say, such
 * as "every version of this cache but the current one". Redis walks the keyspace with
 * {@code SCAN MATCH} page by page on every master and removes each page's chosen keys with one
 * {@code UNLINK}, so it is safe on a keyspace in use (keys written meanwhile may or may not be
 * seen, as SCAN guarantees).
 */
public interface KeySweep {

	/**
	 * Removes each key inside the backend's prefix that matches {@code glob} and that
	 * {@code remove} accepts.
	 * @param glob a Redis glob pattern inside the prefix (escape literal parts with
	 *     {@link io.cachekit.core.KeyPatterns#escape(String)})
	 * @param remove told each matching key without the backend's prefix; {@code true} removes it.
	 *     Called on the client's I/O thread, once per key of every page: keep it cheap and pure
	 * @return a future of how many keys were removed; failed when the store did not answer
	 */
	CompletableFuture<Long> sweep(String glob, Predicate<String> remove);

}
