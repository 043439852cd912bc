package io.cachekit.autoconfigure;

/**
 * A CacheKit property has a value the backend cannot use. Reported at start-up by
 * {@link CacheKitFailureAnalyzer} as a sentence naming the property.
 */
public class InvalidCacheKitConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String reason;

	public InvalidCacheKitConfigurationException(String property, String reason) {
		super(property + ": " + reason);
		this.property = property;
		this.reason = reason;
	}

	/** The property at fault, such as {@code app.cache.redis-url}. */
	public String getProperty() {
		return this.property;
	}

	public String getReason() {
		return this.reason;
	}

}
