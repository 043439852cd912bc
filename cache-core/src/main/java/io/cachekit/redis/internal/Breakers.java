package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;


/**
 * Chooses the circuit breaker for a call. On a cluster, a call for one key has the breaker of the
 * master that owns the key's slot, so a lost master cuts off its own slots only; calls for no key
 * or for many (getMany, clear, scripts over several slots) and every call on a single server or
 * Sentinel share one breaker.
 */
final class Breakers {

	private final int threshold;

	private final Duration openDuration;

	private final CircuitBreaker shared;

	private final Map<String, CircuitBreaker> byNode = new ConcurrentHashMap<>();

	Breakers(int threshold, Duration openDuration) {
		this.threshold = threshold;
		this.openDuration = openDuration;
		this.shared = new CircuitBreaker(threshold, openDuration);
	}

	/** The breaker of a call for a key owned by cluster master {@code nodeId}; the shared one without. */
	CircuitBreaker forCall(@Nullable String nodeId) {
		if (nodeId == null) {
			return this.shared;
		}
		return this.byNode.computeIfAbsent(nodeId, (id) -> new CircuitBreaker(this.threshold, this.openDuration));
	}

	/** The breaker of calls that have no single key. */
	CircuitBreaker shared() {
		return this.shared;
	}

	/** Whether any breaker is short-circuiting calls. */
	boolean isAnyOpen() {
		return this.shared.isOpen() || this.byNode.values().stream().anyMatch(CircuitBreaker::isOpen);
	}

	/** A new connection is up: what opened the breakers was the old one's. */
	void closeAll() {
		this.shared.onSuccess();
		this.byNode.values().forEach(CircuitBreaker::onSuccess);
	}

}
