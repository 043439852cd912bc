package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/** The Redis engine's leases: one holder at a time, released only by the token that holds it. */
class LeasesTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private RedisCacheBackend<Object> one;

	private RedisCacheBackend<Object> two;

	private Leases leasesOfOne;

	private Leases leasesOfTwo;

	@BeforeEach
	void start() {
		AtomicReference<Leases> first = new AtomicReference<>();
		AtomicReference<Leases> second = new AtomicReference<>();
		this.one = backend(first);
		this.two = backend(second);
		this.leasesOfOne = first.get();
		this.leasesOfTwo = second.get();
	}

	@AfterEach
	void stop() {
		this.one.clear();
		this.one.shutdown();
		this.two.shutdown();
	}

	/** A backend of its own connection, whose engine's Leases service {@code into} receives. */
	private static RedisCacheBackend<Object> backend(AtomicReference<Leases> into) {
		CacheLayer capture = new CacheLayer() {

			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				into.set(context.service(Leases.class).orElseThrow());
				return below;
			}

		};
		RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url()).prefix("leases:").layer(capture).build();
		backend.initialize();
		return backend;
	}

	@Test
	void oneHolderAtATimeAndOnlyItsTokenReleasesIt() {
		Optional<String> token = this.leasesOfOne.acquire("k", Duration.ofSeconds(10)).join();
		assertThat(token).isPresent();
		assertThat(this.leasesOfTwo.acquire("k", Duration.ofSeconds(10)).join()).as("held by another").isEmpty();
		assertThat(this.leasesOfTwo.release("k", "not-the-token").join()).as("a wrong token releases nothing").isFalse();
		assertThat(this.leasesOfTwo.acquire("k", Duration.ofSeconds(10)).join()).as("still held").isEmpty();
		assertThat(this.leasesOfOne.release("k", token.get()).join()).isTrue();
		assertThat(this.leasesOfTwo.acquire("k", Duration.ofSeconds(10)).join()).as("free once released").isPresent();
	}

	@Test
	void anExpiredLeaseTakenByAnotherIsNotReleasedByItsFormerHolder() throws InterruptedException {
		String expired = this.leasesOfOne.acquire("k", Duration.ofMillis(100)).join().orElseThrow();
		Thread.sleep(250);
		String current = this.leasesOfTwo.acquire("k", Duration.ofSeconds(10)).join().orElseThrow();
		assertThat(current).isNotEqualTo(expired);
		assertThat(this.leasesOfOne.release("k", expired).join()).isFalse();
		assertThat(this.leasesOfOne.acquire("k", Duration.ofSeconds(10)).join()).as("the new holder keeps it").isEmpty();
		assertThat(this.leasesOfTwo.release("k", current).join()).isTrue();
	}

	@Test
	void aLeaseLivesInsideTheBackendsPrefix() {
		this.leasesOfOne.acquire("k", Duration.ofSeconds(10)).join().orElseThrow();
		assertThat(this.one.clear()).isTrue();
		// clear() stays inside the prefix and found the lease there
		assertThat(this.leasesOfTwo.acquire("k", Duration.ofSeconds(10)).join()).isPresent();
	}

}
