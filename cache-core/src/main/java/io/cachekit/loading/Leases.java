package io.cachekit.loading;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Leases on keys, one holder at a time across every client of a store: an engine service
 * ({@code LayerContext.service(Leases.class)}) on which the loading layer coalesces loads across
 * JVMs. A lease lives in the store under a key inside the backend's prefix (Redis: {@code SET NX PX}
 * with a random token) and ends when its holder releases it or its time runs out.
 */
public interface Leases {

	/**
	 * Takes the lease of {@code key} for {@code leaseTime}, unless another holder has it.
	 * @param key the key whose lease is taken, without the backend's prefix
	 * @param leaseTime how long the lease lasts unless released
	 * @return a future of the holder's token when taken, empty when another holder has the lease;
	 *     failed when the store did not answer
	 */
	CompletableFuture<Optional<String>> acquire(String key, Duration leaseTime);

	/**
	 * Ends the lease of {@code key} if {@code token} still holds it (a lease that expired and was
	 * taken by another holder is left alone).
	 * @param key the key whose lease is released, without the backend's prefix
	 * @param token the token {@link #acquire} answered
	 * @return a future of whether the lease was ended by this call; failed when the store did not answer
	 */
	CompletableFuture<Boolean> release(String key, String token);

}
