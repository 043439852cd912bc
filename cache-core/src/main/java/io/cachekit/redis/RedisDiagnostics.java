package io.cachekit.redis;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.cachekit.core.ErrorCode;

/**
 * What health checks and metrics ask a {@link RedisCacheBackend} about, kept off its cache API:
 * {@link RedisCacheBackend#diagnostics()}.
 */
public interface RedisDiagnostics {

	/**
	 * Where Redis is, credentials masked.
	 * @return the masked Redis URL
	 */
	String target();

	/**
	 * Whether the connection to Redis is up right now.
	 * @return {@code true} while running and connected
	 */
	boolean isConnected();

	/**
	 * Whether a circuit breaker is short-circuiting calls (on a cluster: the shared one, or that
	 * of any master).
	 * @return {@code true} while a circuit is open
	 */
	boolean isCircuitOpen();

	/**
	 * How many times {@code operation} failed with {@code code} since start.
	 * @param operation the operation's name, such as {@code get}
	 * @param code the error code
	 * @return the number of such failures
	 */
	long failureCount(String operation, ErrorCode code);

	/**
	 * Asks Redis for its version (INFO server). Never fails: empty when Redis does not answer
	 * within the command timeout.
	 * @return a future of the version, empty when Redis did not answer in time
	 */
	CompletableFuture<Optional<String>> serverVersion();

}
