package io.cachekit.spring.observation;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.ErrorCode;
import io.cachekit.core.OperationListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Puts the {@link ErrorCode} of a failure that fail-open mode absorbed (the caller got a miss or
 * {@code false}) on the observation of that operation, so its {@code cache.outcome} says
 * {@code CONNECTION} or {@code CIRCUIT_OPEN} rather than {@code miss}. The backend tells its
 * listeners about a failure on the thread that detected it: when that is the calling thread (not
 * connected, circuit open, a command refused while disconnected), the operation's observation is
 * the current one there. A failure detected later on a Redis I/O or timer thread (a timeout) is
 * not seen here; fail-fast mode reports those through the exception instead. Successes cost one
 * null check.
 */
public final class ObservationErrorListener implements OperationListener {

	private final ObservationRegistry registry;

	/**
	 * A listener that marks the current observation of {@code registry}.
	 * @param registry where the current observation is looked up
	 */
	public ObservationErrorListener(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOperation(String operation, long durationNanos, @Nullable ErrorCode error) {
		if (error == null) {
			return;
		}
		Observation current = this.registry.getCurrentObservation();
		if (current != null && current.getContext() instanceof CacheKitObservationContext context
				&& context.getErrorCode() == null) {
			context.setErrorCode(error);
		}
	}

}
