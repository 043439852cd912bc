package io.cachekit.core.layer;

import java.time.Duration;
import java.util.Optional;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;

/**
 * What the engine at the bottom of a stack tells and offers the layers over it.
 *
 * @param <T> the value type of the level being built
 */
public interface LayerContext<T> {

	/**
	 * The prefix of every key of the stack, which layers' own keys (leases, ...) stay inside.
	 * @return the key prefix
	 */
	String prefix();

	/**
	 * Where the engine stores, credentials masked (for messages).
	 * @return the masked target
	 */
	String target();

	/**
	 * The serializer of the stack's values.
	 * @return the value serializer
	 */
	CacheSerializer<T> serializer();

	/**
	 * What an outage does to callers.
	 * @return the failure mode
	 */
	FailureMode failureMode();

	/**
	 * How long one command of the engine may take.
	 * @return the command timeout
	 */
	Duration commandTimeout();

	/**
	 * Told about every operation, for metrics; layers report what they do (a near hit, a load)
	 * under their own operation names. This default: nobody (an engine without metrics).
	 * @return the listener
	 */
	default OperationListener listener() {
		return OperationListener.NONE;
	}

	/**
	 * A service the engine offers layers (invalidation events, leases, ...), by type.
	 * @param <S> the service type
	 * @param type the service type
	 * @return the service, or empty when this engine does not offer it (this default: none)
	 */
	default <S> Optional<S> service(Class<S> type) {
		return Optional.empty();
	}

	/**
	 * The TTL the engine gives entries written without one, for layers that derive TTLs (jitter,
	 * logical expiry). Empty when the engine does not say.
	 * @return the default TTL ({@code ZERO}: no expiry), or empty
	 */
	default Optional<Duration> defaultTtl() {
		return Optional.empty();
	}

}
