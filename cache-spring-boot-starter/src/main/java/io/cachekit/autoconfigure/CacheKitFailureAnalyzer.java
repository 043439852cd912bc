package io.cachekit.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code app.cache.*} value into a start-up report naming the property.
 */
class CacheKitFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCacheKitConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCacheKitConfigurationException cause) {
		return new FailureAnalysis(
				"CacheKit could not start: the property '" + cause.getProperty() + "' is invalid. " + cause.getReason(),
				"Update '" + cause.getProperty() + "' in your application's configuration.", cause);
	}

}
