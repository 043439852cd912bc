package io.cachekit.spring;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.serialization.JsonShape;

/**
 * A cache's version: what it is when set ({@link CacheKitCacheConfiguration#withVersion(String)})
 * and what {@link CacheKitCacheConfiguration#AUTO_VERSION} resolves to (the fingerprint of the
 * value type's JSON shape, {@link JsonShape}).
 */
final class CacheVersions {

	/** Letters, digits, {@code . _ -}; no {@code :} (it ends the version in a key) and no braces (hash tags). */
	private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private CacheVersions() {
	}

	static boolean isWellFormed(String version) {
		return WELL_FORMED.matcher(version).matches();
	}

	/**
	 * {@code version} when it is one, for the setting's argument check.
	 * @throws IllegalArgumentException when it is not
	 */
	static @Nullable String check(@Nullable String version) {
		if (version != null && !version.equals(CacheKitCacheConfiguration.AUTO_VERSION) && !isWellFormed(version)) {
			throw new IllegalArgumentException("version must be 1 to 64 letters, digits, '.', '_' or '-' (or '"
					+ CacheKitCacheConfiguration.AUTO_VERSION + "') but was '" + version + "'");
		}
		return version;
	}

	/**
	 * The version the keys of a cache with {@code configuration} carry: its own, the fingerprint
	 * of its value type for {@code auto}, or {@code null} for none.
	 * @throws IllegalArgumentException for {@code auto} without a value type
	 */
	static @Nullable String resolve(CacheKitCacheConfiguration configuration) {
		String version = configuration.getVersion();
		if (!CacheKitCacheConfiguration.AUTO_VERSION.equals(version)) {
			return version;
		}
		Class<?> type = configuration.getValueType();
		if (type == null) {
			throw new IllegalArgumentException("version '" + CacheKitCacheConfiguration.AUTO_VERSION
					+ "' is the fingerprint of the cache's value type, but the cache has none (set its value type)");
		}
		return JsonShape.fingerprint(type);
	}

}
