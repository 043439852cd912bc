package io.cachekit.inmemory.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.inmemory.ManualClock;

/** README option 2: a backend of the test's own, here on a clock the test moves. */
@SpringBootTest
class TestConfigurationBackendTest {

	@TestConfiguration
	static class InMemoryCache {

		@Bean
		ManualClock clock() {
			return new ManualClock();
		}

		@Bean
		InMemoryCacheBackend<Object> cacheBackend(ManualClock clock) {
			return InMemoryCacheBackend.builder().clock(clock).build();
		}

	}

	@Autowired
	ShopApplication.ProductService products;

	@Autowired
	ManualClock clock;

	@Test
	void entriesExpireWhenTheTestMovesTheClock() {
		this.products.find("p1");
		this.products.find("p1");
		assertThat(this.products.loads()).isEqualTo(1);
		this.clock.advance(Duration.ofHours(1).plusMillis(1));
		this.products.find("p1");
		assertThat(this.products.loads()).isEqualTo(2);
	}

}
