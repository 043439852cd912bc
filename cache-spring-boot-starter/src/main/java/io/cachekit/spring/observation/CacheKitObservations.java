package io.cachekit.spring.observation;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;
import io.cachekit.core.layer.Futures;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes CacheKit operations on one {@link ObservationRegistry}: {@link #decorate} wraps a
 * backend so that each call is a {@link CacheKitObservationDocumentation#OPERATION} observation,
 * in scope while the command is sent, so Lettuce's command spans (with
 * {@code io.lettuce.core.tracing.MicrometerTracing} on the client resources) become its
 * children. Nothing here runs unless a backend was decorated: an application without an
 * observation registry keeps the plain backend.
 */
public final class CacheKitObservations {

	private final ObservationRegistry registry;

	private final @Nullable CacheKitObservationConvention convention;

	private final boolean includeKeys;

	/**
	 * @param registry where observations go
	 * @param convention replaces {@link DefaultCacheKitObservationConvention}, or {@code null}
	 * @param includeKeys whether keys are recorded ({@code cache.key})
	 */
	public CacheKitObservations(ObservationRegistry registry, @Nullable CacheKitObservationConvention convention,
			boolean includeKeys) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.convention = convention;
		this.includeKeys = includeKeys;
	}

	/**
	 * {@code backend} observed as a call on the backend itself ({@code cache.name=none}).
	 * @param <T> the value type
	 * @param backend the backend to observe
	 * @return the observed backend
	 */
	public <T> ObservedCacheBackend<T> decorate(CacheBackend<T> backend) {
		return decorate(backend, CacheKitObservationContext.NO_CACHE);
	}

	/**
	 * {@code backend} observed as the store of the cache named {@code cacheName}.
	 * @param <T> the value type
	 * @param backend the backend to observe
	 * @param cacheName the cache's name on the observations
	 * @return the observed backend
	 */
	public <T> ObservedCacheBackend<T> decorate(CacheBackend<T> backend, String cacheName) {
		if (backend instanceof ObservedCacheBackend<T> observed) {
			return decorate(observed.getDelegate(), cacheName);
		}
		return new ObservedCacheBackend<>(backend, this, cacheName);
	}

	/**
	 * The registry observations are made in.
	 * @return the registry
	 */
	public ObservationRegistry getRegistry() {
		return this.registry;
	}

	CacheKitObservationContext context(String operation, String cacheName, @Nullable String key) {
		CacheKitObservationContext context = new CacheKitObservationContext(operation, cacheName);
		if (this.includeKeys && key != null) {
			context.setKey(key);
		}
		return context;
	}

	CacheKitObservationContext context(String operation, String cacheName, @Nullable Collection<String> keys) {
		CacheKitObservationContext context = new CacheKitObservationContext(operation, cacheName);
		if (keys == null) {
			// the delegate rejects it with its own message
			return context;
		}
		context.setItems(keys.size());
		if (this.includeKeys) {
			context.setKey(String.join(",", keys));
		}
		return context;
	}

	private Observation start(CacheKitObservationContext context) {
		return CacheKitObservationDocumentation.OPERATION
			.observation(this.convention, DefaultCacheKitObservationConvention.INSTANCE, () -> context, this.registry)
			.start();
	}

	/** Runs a blocking call as one observation, in scope while it runs. */
	@SuppressWarnings("try") // the scope is what the body runs in
	<R> R observe(CacheKitObservationContext context, Supplier<R> call, Outcome<? super R> outcome) {
		if (this.registry.isNoop()) {
			// no handler to tell: no observation, no scope, no outcome
			return call.get();
		}
		Observation observation = start(context);
		if (observation.isNoop()) {
			// muted (an ObservationPredicate): no scope to open, no outcome to record
			return call.get();
		}
		try (Observation.Scope scope = observation.openScope()) {
			R result = call.get();
			outcome.record(context, result);
			return result;
		}
		catch (RuntimeException | Error ex) {
			failed(observation, context, ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * Runs a non-blocking call as one observation, in scope while the call sends its command and
	 * stopped before the caller sees the answer.
	 */
	@SuppressWarnings("try") // the scope is what the body runs in
	<R> CompletableFuture<R> observeAsync(CacheKitObservationContext context, Supplier<CompletableFuture<R>> call,
			Outcome<? super R> outcome) {
		if (this.registry.isNoop()) {
			return call.get();
		}
		Observation observation = start(context);
		if (observation.isNoop()) {
			return call.get();
		}
		CompletableFuture<R> sent;
		try (Observation.Scope scope = observation.openScope()) {
			sent = call.get();
		}
		catch (RuntimeException | Error ex) {
			failed(observation, context, ex);
			observation.stop();
			throw ex;
		}
		// answered with the delegate's own result or exception, not a CompletionException around it
		CompletableFuture<R> answer = new CompletableFuture<>();
		sent.whenComplete((result, ex) -> {
			if (ex != null) {
				failed(observation, context, ex);
				observation.stop();
				answer.completeExceptionally(ex);
				return;
			}
			try {
				outcome.record(context, result);
			}
			finally {
				observation.stop();
			}
			answer.complete(result);
		});
		return answer;
	}

	private static void failed(Observation observation, CacheKitObservationContext context, Throwable error) {
		Throwable ex = Futures.unwrap(error);
		if (ex instanceof CacheException cacheException) {
			context.setErrorCode(cacheException.getErrorCode());
		}
		observation.error(ex);
	}

	/** Records what an operation answered in its context. */
	@FunctionalInterface
	interface Outcome<R> {

		void record(CacheKitObservationContext context, R result);

		Outcome<Optional<?>> READ = (context, value) -> {
			context.setHit(value.isPresent());
			context.setOutcome(value.isPresent() ? "hit" : "miss");
			if (value.isPresent() && value.get() instanceof byte[] bytes) {
				context.setItemSize(bytes.length);
			}
		};

		Outcome<Boolean> FOUND = (context, found) -> context.setOutcome(found ? "hit" : "miss");

		Outcome<Boolean> STORED = (context, stored) -> context.setOutcome(stored ? "stored" : "not_stored");

		Outcome<Number> STORED_COUNT = (context, n) -> context.setOutcome((n.longValue() > 0) ? "stored" : "not_stored");

		Outcome<Object> ALWAYS_STORED = (context, result) -> context.setOutcome("stored");

		Outcome<Boolean> REMOVED = (context, removed) -> context.setOutcome(removed ? "removed" : "not_found");

		Outcome<Number> REMOVED_COUNT = (context, n) -> {
			context.setItems((int) Math.min(Integer.MAX_VALUE, n.longValue()));
			context.setOutcome((n.longValue() > 0) ? "removed" : "not_found");
		};

		Outcome<Boolean> ANSWERED = (context, ok) -> context.setOutcome(ok ? "success" : "failure");

		Outcome<Map<?, ?>> READ_MANY = (context, found) -> {
			int asked = context.getItems();
			context.setHit(!found.isEmpty() && found.size() == asked);
			context.setOutcome(found.isEmpty() ? "miss" : ((found.size() == asked) ? "hit" : "partial"));
		};

		Outcome<Collection<?>> MEMBERS = (context, members) -> {
			context.setItems(members.size());
			context.setHit(!members.isEmpty());
			context.setOutcome(members.isEmpty() ? "miss" : "hit");
		};

	}

	static void ttl(CacheKitObservationContext context, @Nullable Duration ttl) {
		context.setTtl(ttl);
	}

	static @Nullable Collection<String> keysOf(@Nullable Map<String, ?> entries) {
		return (entries != null) ? entries.keySet() : null;
	}

	static void size(CacheKitObservationContext context, @Nullable Object value) {
		if (value instanceof byte[] bytes) {
			context.setItemSize(bytes.length);
		}
	}

}
