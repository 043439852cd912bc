package io.cachekit.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.cachekit.redis.RedisConnection;

/**
 * Turns an invalid {@code app.cache.*} value into a start-up report naming the property, URL
 * credentials masked.
 */
class CacheKitFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCacheKitConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCacheKitConfigurationException cause) {
		return new FailureAnalysis(
				"CacheKit could not start: the property '" + cause.getProperty() + "' is invalid. "
						+ RedisConnection.maskText(cause.getReason()),
				"Update '" + cause.getProperty() + "' in your application's configuration.", cause);
	}

}
