package io.cachekit.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.micrometer.observation.ObservationRegistry;

/**
 * A call nobody observes runs straight through: with a registry that has no handler, or an
 * observation an {@code ObservationPredicate} mutes, the answer is the delegate's and no outcome
 * is worked out (nor a scope opened) for it.
 */
class CacheKitObservationsNoopTests {

	private static final CacheKitObservations.Outcome<Object> NEVER = (context, result) -> {
		throw new AssertionError("an outcome was recorded for a call nobody observes");
	};

	@Test
	void aRegistryWithoutHandlersIsPassedThrough() {
		assertPassedThrough(new CacheKitObservations(ObservationRegistry.create(), null, false));
		assertPassedThrough(new CacheKitObservations(ObservationRegistry.NOOP, null, false));
	}

	@Test
	void aMutedObservationIsPassedThrough() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler((context) -> true)
			.observationPredicate((name, context) -> !CacheKitObservationDocumentation.OPERATION_NAME.equals(name));
		assertPassedThrough(new CacheKitObservations(registry, null, false));
	}

	private static void assertPassedThrough(CacheKitObservations observations) {
		assertThat(observations.observe(observations.context("get", "products", "k"), () -> "v", NEVER)).isEqualTo("v");
		CompletableFuture<Object> sent = CompletableFuture.completedFuture("v");
		assertThat(observations.observeAsync(observations.context("get", "products", "k"), () -> sent, NEVER)).isSameAs(sent);
	}

}
