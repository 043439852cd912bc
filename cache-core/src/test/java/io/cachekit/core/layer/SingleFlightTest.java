package io.cachekit.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.cachekit.core.layer.SingleFlight.Flight;

/** One flight per key: joined while it runs, gone before anyone is told its outcome. */
class SingleFlightTest {

	private final SingleFlight<String> flights = new SingleFlight<>();

	@Test
	void callersWhileAFlightRunsJoinItAndShareItsOutcome() throws Exception {
		CompletableFuture<String> work = new CompletableFuture<>();
		AtomicInteger started = new AtomicInteger();
		Flight<String> first = this.flights.run("k", () -> {
			started.incrementAndGet();
			return work;
		});
		Flight<String> second = this.flights.run("k", () -> {
			started.incrementAndGet();
			return CompletableFuture.completedFuture("other");
		});
		Flight<String> elsewhere = this.flights.run("other-key", () -> CompletableFuture.completedFuture("o"));
		assertThat(first.joined()).isFalse();
		assertThat(second.joined()).isTrue();
		assertThat(elsewhere.joined()).isFalse();
		assertThat(started).hasValue(1);
		work.complete("v");
		assertThat(first.outcome().get()).isEqualTo("v");
		assertThat(second.outcome().get()).isEqualTo("v");
	}

	@Test
	void theRecordIsGoneBeforeAnyoneIsToldTheOutcome() throws Exception {
		CompletableFuture<String> work = new CompletableFuture<>();
		Flight<String> flight = this.flights.run("k", () -> work);
		CompletableFuture<Boolean> runningWhenTold = flight.outcome().thenApply((v) -> this.flights.isRunning("k"));
		assertThat(this.flights.isRunning("k")).isTrue();
		work.complete("v");
		assertThat(runningWhenTold.get()).isFalse();
		assertThat(this.flights.run("k", () -> CompletableFuture.completedFuture("again")).joined()).isFalse();
	}

	@Test
	void aWorkThatThrowsFailsItsFlightWithWhatItThrew() {
		IllegalStateException thrown = new IllegalStateException("boom");
		Flight<String> flight = this.flights.run("k", () -> {
			throw thrown;
		});
		assertThatThrownBy(() -> flight.outcome().get()).isInstanceOf(ExecutionException.class).cause().isSameAs(thrown);
		assertThat(this.flights.isRunning("k")).isFalse();
	}

}
