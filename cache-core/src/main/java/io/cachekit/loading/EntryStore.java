package io.cachekit.loading;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The stored bytes of entries, as they are: an engine service
 * ({@code LayerContext.service(EntryStore.class)}) through which the loading layer reads with a
 * time-to-idle touch (Redis: {@code GETEX PX}) and reads and writes its entry envelopes. Failures
 * follow the backend's failure mode, as {@code get} and {@code set} do.
 */
public interface EntryStore {

	/**
	 * The bytes under {@code key}, resetting its TTL to {@code touch} when given.
	 * @param key the key, without the backend's prefix
	 * @param touch the key's new TTL when it is there, or {@code null} to leave it
	 * @return a future of the bytes, empty when absent (or, in fail-open mode, on an outage)
	 */
	CompletableFuture<Optional<byte[]>> read(String key, @Nullable Duration touch);

	/**
	 * Stores {@code bytes} under {@code key}.
	 * @param key the key, without the backend's prefix
	 * @param bytes what to store
	 * @param ttl time to live; {@code null}: the default TTL, {@link Duration#ZERO}: no expiry
	 * @param onlyIfAbsent whether to store only when the key is absent (SET NX)
	 * @return a future of whether it was stored
	 */
	CompletableFuture<Boolean> write(String key, byte[] bytes, @Nullable Duration ttl, boolean onlyIfAbsent);

}
