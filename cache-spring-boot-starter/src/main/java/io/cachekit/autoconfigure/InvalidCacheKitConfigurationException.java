package io.cachekit.autoconfigure;

/**
 * A CacheKit property has a value the backend cannot use. Reported at start-up by
 * {@link CacheKitFailureAnalyzer} as a sentence naming the property.
 */
public class InvalidCacheKitConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/** The property at fault. */
	private final String property;

	/** Why its value is wrong. */
	private final String reason;

	/**
	 * A property whose value CacheKit cannot use.
	 * @param property the property, such as {@code app.cache.redis-url}
	 * @param reason why its value is wrong
	 */
	public InvalidCacheKitConfigurationException(String property, String reason) {
		super(property + ": " + reason);
		this.property = property;
		this.reason = reason;
	}

	/**
	 * The property at fault, such as {@code app.cache.redis-url}.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Why the property's value is wrong.
	 * @return the reason, credentials masked
	 */
	public String getReason() {
		return this.reason;
	}

}
