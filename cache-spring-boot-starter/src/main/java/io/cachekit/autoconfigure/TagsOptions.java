package io.cachekit.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Tag settings ({@code app.cache.tags.*}, and a cache's own {@code app.cache.caches.<name>.tags.*},
 * unset values app.cache.tags'): whether entries may carry tags ({@code @CacheTags}), which
 * {@code @EvictTags} and {@code CacheBackend.invalidateTag} invalidate with one write.
 */
public class TagsOptions {

	/**
	 * Whether entries may carry tags: reads then check each tagged entry's tag versions (kept
	 * locally, no extra round trip once seen) and go to Redis past a near cache. Unset means
	 * false for app.cache.tags, and app.cache.tags.enabled for a cache.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Whether entries may carry tags.
	 * @return the configured value, or {@code null} when unset
	 */
	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	/**
	 * Whether entries may carry tags.
	 * @param enabled whether they may
	 */
	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Whether tags are on, over {@code parent}'s when unset here.
	 * @param parent app.cache.tags for a cache's own, or {@code null} for app.cache.tags itself
	 * @return whether entries may carry tags
	 */
	public boolean resolve(@Nullable TagsOptions parent) {
		if (this.enabled != null) {
			return this.enabled;
		}
		return parent != null && parent.resolve(null);
	}

}
