package io.cachekit.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.redis.RedisConnection;

/**
 * Explains a fail-fast backend that could not reach Redis at start-up, URL credentials masked.
 */
class CacheKitConnectionFailureAnalyzer extends AbstractFailureAnalyzer<CacheException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CacheException cause) {
		if (cause.getErrorCode() != ErrorCode.CONNECTION) {
			return null;
		}
		return new FailureAnalysis("CacheKit could not connect to Redis at start-up: "
				+ RedisConnection.maskText(String.valueOf(cause.getMessage())),
				"Start Redis or correct 'app.cache.redis-url'; or set 'app.cache.failure-mode=fail-open' to start "
						+ "without Redis and connect when it becomes available.",
				cause);
	}

}
