package io.cachekit.loading;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Writes that land only while a {@link Leases lease} is still its holder's: an engine service
 * ({@code LayerContext.service(FencedWrites.class)}) through which the loading layer stores what
 * it loaded under a lease, so a loader slower than its lease cannot write over the value of the
 * instance that took the lease after it. The compare and the write are one step in the store
 * (Redis: one Lua script; the lease's key shares the entry's hash slot on a cluster).
 */
public interface FencedWrites {

	/**
	 * Stores {@code bytes} under {@code key} if the lease of {@code key} is still held by
	 * {@code token}.
	 * @param key the key, without the backend's prefix
	 * @param token the token {@link Leases#acquire} answered
	 * @param bytes what to store
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @return a future of whether it was stored ({@code false}: the lease was no longer
	 *     {@code token}'s); failed when the store did not answer
	 */
	CompletableFuture<Boolean> writeIfHeld(String key, String token, byte[] bytes, @Nullable Duration ttl);

	/**
	 * Ends the leases of {@code keys}, whoever holds them, so that a load of one of them under
	 * its lease, in any instance, stores nothing: what the loading layer sends before it writes
	 * or deletes those keys itself. Sent before that write on the same connection (the lease is
	 * in the entry's hash slot), so the two arrive in that order.
	 * @param keys the keys, without the backend's prefix
	 * @return a future of how many leases were ended
	 */
	CompletableFuture<Long> revoke(Collection<String> keys);

}
