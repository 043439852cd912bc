package io.cachekit.autoconfigure;

import io.cachekit.spring.CacheKitCacheConfiguration;

/** {@code app.cache.caches.<name>.version}: checked at start-up, named by the exception for a bad value. */
final class CacheKitVersions {

	private CacheKitVersions() {
	}

	/**
	 * {@code configuration} with {@code version} (its value type set already, for {@code auto}).
	 * @throws InvalidCacheKitConfigurationException naming {@code property} when the version is not one
	 */
	static CacheKitCacheConfiguration versioned(CacheKitCacheConfiguration configuration, String version,
			String property) {
		if (CacheKitCacheConfiguration.AUTO_VERSION.equals(version) && configuration.getValueType() == null) {
			throw new InvalidCacheKitConfigurationException(property, "'" + CacheKitCacheConfiguration.AUTO_VERSION
					+ "' is a fingerprint of the cache's value type: set its value-type too");
		}
		return CacheKitAutoConfiguration.check(property, () -> configuration.withVersion(version));
	}

}
