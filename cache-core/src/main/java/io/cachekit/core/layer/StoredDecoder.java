package io.cachekit.core.layer;

import org.jspecify.annotations.Nullable;

/**
 * How a layer that stores entries in a form of its own (the loading layer's envelopes) reads the
 * stored bytes of one: given to {@link CacheLevel#readStored}, so that a level below that keeps
 * what it reads (a near cache) keeps the decoded entry and answers it again from memory. A level
 * holds what one decoder made for that decoder only (compared by identity): keep one instance per
 * level.
 *
 * @param <E> what an entry decodes to
 */
@FunctionalInterface
public interface StoredDecoder<E> {

	/**
	 * Decodes the stored bytes of {@code key}.
	 * @param key the key, without the backend's prefix
	 * @param stored the bytes as they are stored
	 * @return the entry, or {@code null} when there is none to serve (unreadable in fail-open mode): nothing is kept
	 * @throws RuntimeException when the bytes cannot be read and the read must fail (fail-fast)
	 */
	@Nullable E decode(String key, byte[] stored);

}
