package io.cachekit.spring;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The tags of the cached method running on this thread ({@link CacheTags}), for the writes its
 * caching annotations make: set by {@link CacheTagsInterceptor} around every cached method (to
 * none for a method without tags, so that a cached method called inside a tagged one does not
 * inherit its tags), read by {@link CacheKitCache}.
 */
final class CurrentTags {

	/** Tags of no method: a write outside any cached method (a cache used directly). */
	private static final ThreadLocal<@Nullable Scope> CURRENT = new ThreadLocal<>();

	private CurrentTags() {
	}

	/** The tags of one cached method's call; {@code method} names it in messages. */
	record Scope(List<String> tags, String method) {
	}

	/** The tags of the running cached method; none outside one. */
	static List<String> get() {
		Scope scope = CURRENT.get();
		return (scope != null) ? scope.tags() : List.of();
	}

	/**
	 * The tags of the running cached method for a write to the cache {@code cacheName}; none
	 * outside one.
	 * @param tagsOn whether the cache keeps tags
	 * @throws IllegalStateException when there are some and the cache keeps no tags
	 */
	static List<String> forCache(String cacheName, boolean tagsOn) {
		List<String> tags = get();
		if (!tags.isEmpty() && !tagsOn) {
			throw new IllegalStateException("@CacheTags on " + method() + " tags entries of cache '" + cacheName
					+ "', which keeps no tags: set app.cache.caches." + cacheName + ".tags.enabled=true (or"
					+ " app.cache.tags.enabled=true for every cache)");
		}
		return tags;
	}

	/** The running cached method, for messages; {@code null} outside one. */
	static @Nullable String method() {
		Scope scope = CURRENT.get();
		return (scope != null) ? scope.method() : null;
	}

	/** Enters {@code scope}; answers the one to restore. */
	static @Nullable Scope enter(Scope scope) {
		Scope previous = CURRENT.get();
		CURRENT.set(scope);
		return previous;
	}

	static void restore(@Nullable Scope previous) {
		if (previous == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(previous);
		}
	}

}
