package io.cachekit.loading;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The versions of entry tags: an engine service ({@code LayerContext.service(TagVersions.class)})
 * through which the loading layer learns what a tagged entry's recorded versions are compared
 * with, and invalidates a tag. A tag's version lives in a key of its own, {@link #key(String)}
 * under the backend's prefix, holding a counter; a tag never invalidated has version 0. An
 * implementation keeps versions it read locally, only as long as something (Redis client
 * tracking) tells it when they change, so that checking a tagged entry costs no round trip once
 * its tags were seen.
 */
public interface TagVersions {

	/** What a tag's key starts with, under the backend's prefix. */
	String KEY_PREFIX = "__tag:{";

	/**
	 * The key of {@code tag}'s version, without the backend's prefix: {@code __tag:{<tag>}}.
	 * @param tag the tag
	 * @return its key
	 * @throws IllegalArgumentException when the tag is empty
	 */
	static String key(String tag) {
		return KEY_PREFIX + requireTag(tag) + "}";
	}

	/**
	 * The tag whose version lives under {@code key}, or {@code null} when it is no tag's key.
	 * @param key a key without the backend's prefix
	 * @return the tag, or {@code null}
	 */
	static @Nullable String tagOf(String key) {
		return (key.startsWith(KEY_PREFIX) && key.endsWith("}"))
				? key.substring(KEY_PREFIX.length(), key.length() - 1) : null;
	}

	/**
	 * Checks a tag: a non-empty string.
	 * @param tag the tag
	 * @return the tag
	 */
	static String requireTag(String tag) {
		Objects.requireNonNull(tag, "tag must not be null");
		if (tag.isEmpty()) {
			throw new IllegalArgumentException("tag must not be empty");
		}
		return tag;
	}

	/**
	 * The current versions of {@code tags}, in their order: completed at once when every one is
	 * known locally, else after one round trip (the unknown ones read together). Fails with a
	 * {@code CacheException} when a version cannot be read (in either failure mode: an entry whose
	 * tags cannot be checked must not be served).
	 * @param tags the tags
	 * @return a future of their versions
	 */
	CompletableFuture<long[]> current(List<String> tags);

	/**
	 * Invalidates {@code tag}: one write of its version key (an increment), after which
	 * {@link #current} answers the new version in this JVM, and other instances' local versions
	 * are dropped by Redis' invalidation. Follows the backend's failure mode (fail-open: an
	 * outage answers {@code false}).
	 * @param tag the tag
	 * @return a future of {@code true} once written
	 */
	CompletableFuture<Boolean> invalidate(String tag);

}
