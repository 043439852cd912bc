package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;

/** Maps what Lettuce (or the engine's own code) failed with to the contract's error codes. */
final class FailureClassifier {

	private final String target;

	private final Duration commandTimeout;

	FailureClassifier(String target, Duration commandTimeout) {
		this.target = target;
		this.commandTimeout = commandTimeout;
	}

	/** The contract's exception for {@code ex}, thrown by {@code operation}. Never throws. */
	CacheException classify(String operation, Throwable ex) {
		if (ex instanceof CacheException cacheException) {
			return cacheException;
		}
		String where = operation + " on " + this.target + ": ";
		if (ex instanceof RedisCommandTimeoutException) {
			return new CacheException(ErrorCode.TIMEOUT, where + "no answer within " + this.commandTimeout, ex);
		}
		if (ex instanceof RedisCommandExecutionException) {
			// every error reply, WRONGTYPE and "not an integer" included: the command was sent, so
			// it is a backend failure (the contract's failure policy), which fail-open absorbs
			return new CacheException(ErrorCode.REDIS_ERROR, where + ex.getMessage(), ex);
		}
		if (ex instanceof RedisException || ex instanceof java.io.IOException || ex instanceof CancellationException) {
			return new CacheException(ErrorCode.CONNECTION, where + RedisConnector.rootMessage(ex), ex);
		}
		// Anything else arose after the send, from what came back: a reply of the wrong shape.
		return new CacheException(ErrorCode.REDIS_ERROR, where + "unexpected reply (" + ex + ")", ex);
	}

	/** An argument refused before anything was sent: the caller's mistake, never absorbed. */
	static boolean isProgrammingError(Throwable ex) {
		return !(ex instanceof CacheException) && (ex instanceof IllegalArgumentException
				|| ex instanceof NullPointerException || ex instanceof IllegalStateException);
	}

	static Throwable unwrap(Throwable error) {
		Throwable ex = error;
		while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
			ex = ex.getCause();
		}
		return ex;
	}

}
