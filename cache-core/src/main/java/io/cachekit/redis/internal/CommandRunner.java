package io.cachekit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;

/**
 * Runs every command of the engine, once, the same way: through the lifecycle gate and the
 * circuit breaker, on the current connection, bounded (by {@link Link#send}) and answered under
 * the failure policy, with the outcome counted, logged and told to the listener.
 */
final class CommandRunner {

	private final RedisConnector connector;

	private final Breakers breakers;

	private final FailureRecorder failures;

	private final FailureClassifier classifier;

	private final OperationListener listener;

	private final FailureMode mode;

	private final Gate gate;

	private final String target;

	CommandRunner(RedisConnector connector, Breakers breakers, FailureRecorder failures, FailureClassifier classifier,
			OperationListener listener, FailureMode mode, Gate gate, String target) {
		this.connector = connector;
		this.breakers = breakers;
		this.failures = failures;
		this.classifier = classifier;
		this.listener = listener;
		this.mode = mode;
		this.gate = gate;
		this.target = target;
	}

	FailureMode mode() {
		return this.mode;
	}

	boolean isCluster() {
		return this.connector.isCluster();
	}

	/** Counts a failure an operation absorbed without failing the call (one unreadable entry of a batch). */
	void recordAbsorbed(String operation, CacheException failure) {
		this.failures.record(operation, failure);
	}

	/** Sends a command nobody waits for (dropping an unreadable entry): skipped while disconnected. */
	void sendAndForget(String routingKey, Function<Route, ? extends CompletionStage<?>> command) {
		Route route = this.connector.route();
		if (route != null && this.gate.isOpen()) {
			command.apply(route.forKey(routingKey));
		}
	}

	/** Runs {@code body}, turning an argument error thrown on the caller's thread into a failed future. */
	static <R> CompletableFuture<R> guarded(Supplier<CompletableFuture<R>> body) {
		try {
			return body.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends one command (or a chain of them) through the breaker and maps its answer, on
	 * {@code mapOn} when given (the decoding operations), else where the reply arrives. What
	 * fails before anything is sent is the caller's mistake and always thrown; every failure after
	 * the send is a backend failure (a reply of the wrong shape included), which {@code policy}
	 * turns into {@code fallback} or a {@link CacheException}.
	 */
	<V, R> CompletableFuture<R> run(String operation, @Nullable String routingKey, R fallback, Policy policy,
			@Nullable Executor mapOn, Function<Route, ? extends CompletionStage<V>> command, Function<@Nullable V, R> mapper) {
		return run(operation, routingKey, fallback, policy, mapOn, null, command, mapper);
	}

	/**
	 * {@link #run(String, String, Object, Policy, Executor, Function, Function)}, mapping a reply
	 * that {@code inPlace} accepts where it arrives instead of on {@code mapOn}: a small value of a
	 * serializer that decodes quickly costs less to decode than to hand over.
	 */
	<V, R> CompletableFuture<R> run(String operation, @Nullable String routingKey, R fallback, Policy policy,
			@Nullable Executor mapOn, @Nullable Predicate<? super @Nullable V> inPlace,
			Function<Route, ? extends CompletionStage<V>> command, Function<@Nullable V, R> mapper) {
		long start = System.nanoTime();
		if (!this.gate.admit()) {
			return CompletableFuture.failedFuture(new CacheException(ErrorCode.NOT_RUNNING,
					"Cache backend for " + this.target + " is not running: it was shut down"));
		}
		Route route = this.connector.route();
		ClusterRoute cluster = this.connector.cluster();
		CircuitBreaker breaker = this.breakers.forCall((cluster != null && routingKey != null) ? cluster.nodeIdFor(routingKey) : null);
		if (!breaker.tryAcquire()) {
			return failed(operation, start, new CacheException(ErrorCode.CIRCUIT_OPEN,
					"Circuit breaker is open after repeated failures; Redis is retried shortly"), fallback, policy, false,
					breaker);
		}
		if (route == null) {
			return failed(operation, start, new CacheException(ErrorCode.CONNECTION, "Not connected to Redis"),
					fallback, policy, true, breaker);
		}
		CompletableFuture<V> sent;
		try {
			sent = command.apply((routingKey != null) ? route.forKey(routingKey) : route).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			if (FailureClassifier.isProgrammingError(ex)) {
				// an argument Lettuce refuses before sending: the caller's mistake
				breaker.release();
				this.listener.onOperation(operation, System.nanoTime() - start, ErrorCode.REDIS_ERROR);
				return CompletableFuture.failedFuture(ex);
			}
			return failed(operation, start, ex, fallback, policy, true, breaker);
		}
		// Each command was bounded and is proven in step as it was sent (Link.send): a deadline on
		// a whole chain would cut a long SCAN through a big keyspace short.
		this.gate.arrive();
		CompletableFuture<R> result = new CompletableFuture<>();
		sent.whenComplete((value, ex) -> {
			this.gate.depart();
			if (mapOn == null || (ex == null && inPlace != null && inPlace.test(value))) {
				settle(operation, start, breaker, value, ex, fallback, policy, mapper, result);
			}
			else {
				try {
					mapOn.execute(() -> settle(operation, start, breaker, value, ex, fallback, policy, mapper, result));
				}
				catch (RuntimeException rejected) {
					settle(operation, start, breaker, null, rejected, fallback, policy, mapper, result);
				}
			}
		});
		return result;
	}

	/**
	 * Bounds a whole operation, round trip and decoding, by the command timeout from
	 * {@code start}: a value that takes too long to decode answers like a timed-out command.
	 */
	<R> CompletableFuture<R> bounded(String operation, long start, CompletableFuture<R> result, R fallback) {
		if (result.isDone()) {
			return result;
		}
		CompletableFuture<R> answer = new CompletableFuture<>();
		CompletableFuture<R> guard = new CompletableFuture<>();
		// Two sweeps later than the command's own deadline, so that a command that timed out is
		// answered (and counted) once, by its own timeout.
		CommandDeadlines deadlines = this.connector.deadlines();
		CommandDeadlines.Entry deadline = deadlines.track(guard, start + 2 * deadlines.periodNanos());
		guard.whenComplete((v, ex) -> {
			if (ex != null && !answer.isDone()) {
				complete(answer, failed(operation, start, ex, fallback, Policy.ABSORB, false, this.breakers.shared()));
			}
		});
		result.whenComplete((v, ex) -> {
			deadline.release();
			guard.complete(v);
			if (ex != null) {
				answer.completeExceptionally(ex);
			}
			else {
				answer.complete(v);
			}
		});
		return answer;
	}

	private <V, R> void settle(String operation, long start, CircuitBreaker breaker, @Nullable V value,
			@Nullable Throwable ex, R fallback, Policy policy, Function<@Nullable V, R> mapper, CompletableFuture<R> result) {
		if (ex != null) {
			complete(result, failed(operation, start, ex, fallback, policy, true, breaker));
			return;
		}
		breaker.onSuccess();
		R mapped;
		try {
			mapped = mapper.apply(value);
		}
		catch (RuntimeException mapEx) {
			complete(result, failed(operation, start, mapEx, fallback, policy, false, breaker));
			return;
		}
		catch (Error error) {
			// never leave the caller waiting on a future nobody completes
			result.completeExceptionally(error);
			throw error;
		}
		this.listener.onOperation(operation, System.nanoTime() - start, null);
		result.complete(mapped);
	}

	private static <R> void complete(CompletableFuture<R> target, CompletableFuture<R> source) {
		source.whenComplete((v, ex) -> {
			if (ex != null) {
				target.completeExceptionally(FailureClassifier.unwrap(ex));
			}
			else {
				target.complete(v);
			}
		});
	}

	private <R> CompletableFuture<R> failed(String operation, long start, Throwable error, R fallback, Policy policy,
			boolean fromRedis, CircuitBreaker breaker) {
		CacheException failure = this.classifier.classify(operation, FailureClassifier.unwrap(error));
		ErrorCode code = failure.getErrorCode();
		this.listener.onOperation(operation, System.nanoTime() - start, code);
		if (fromRedis) {
			// every outcome of a sent command settles the breaker (a probe included)
			if (code == ErrorCode.CONNECTION || code == ErrorCode.TIMEOUT) {
				breaker.onFailure();
			}
			else {
				breaker.onSuccess();
			}
		}
		if (!code.isBackendFailure()) {
			return CompletableFuture.failedFuture(failure);
		}
		this.failures.record(operation, failure);
		if (policy == Policy.NEVER_THROW || (policy == Policy.ABSORB && this.mode == FailureMode.FAIL_OPEN)) {
			return CompletableFuture.completedFuture(fallback);
		}
		return CompletableFuture.failedFuture(failure);
	}

}
