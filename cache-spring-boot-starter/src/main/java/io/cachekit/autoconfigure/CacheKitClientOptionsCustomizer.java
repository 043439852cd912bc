package io.cachekit.autoconfigure;

import io.lettuce.core.ClientOptions;

/**
 * Customizes Lettuce's client options of the auto-configured backend (for a cluster the builder
 * is a {@code ClusterClientOptions.Builder}). Customizers run in
 * {@link org.springframework.core.Ordered order}, after CacheKit's own settings.
 */
@FunctionalInterface
public interface CacheKitClientOptionsCustomizer {

	/**
	 * Adjusts {@code builder}.
	 * @param builder Lettuce's client options builder
	 */
	void customize(ClientOptions.Builder builder);

}
