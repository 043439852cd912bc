package io.cachekit.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;

/**
 * The in-memory builder rejects what {@code RedisCacheBackendBuilder} rejects, with the same
 * exception and message: the checks are kept apart (cache-core offers no shared helper yet), so
 * this test keeps them in step.
 */
class InMemoryArgumentsTest {

	@ParameterizedTest
	@ValueSource(strings = { "null prefix", "empty prefix", "null defaultTtl", "negative defaultTtl", "null serializer",
			"null failureMode", "null layer" })
	void theBuilderRejectsWhatTheRedisBuilderRejects(String argument) {
		Throwable inMemory = catchThrowable(() -> apply(argument, InMemoryCacheBackend.builder()));
		Throwable redis = catchThrowable(() -> apply(argument, RedisCacheBackend.builder("redis://localhost:6379")));
		assertThat(redis).as("Redis").isNotNull();
		assertThat(inMemory).as(argument).isNotNull().hasSameClassAs(redis).hasMessage(redis.getMessage());
	}

	private static void apply(String argument, InMemoryCacheBackendBuilder<Object> builder) {
		setting(argument, builder::prefix, builder::defaultTtl, builder::serializer, builder::failureMode, builder::layer);
	}

	private static void apply(String argument, RedisCacheBackendBuilder<Object> builder) {
		setting(argument, builder::prefix, builder::defaultTtl, builder::serializer, builder::failureMode, builder::layer);
	}

	private static void setting(String argument, Consumer<String> prefix, Consumer<Duration> defaultTtl,
			Consumer<CacheSerializer<Object>> serializer, Consumer<FailureMode> failureMode, Consumer<CacheLayer> layer) {
		switch (argument) {
			case "null prefix" -> prefix.accept(null);
			case "empty prefix" -> prefix.accept("");
			case "null defaultTtl" -> defaultTtl.accept(null);
			case "negative defaultTtl" -> defaultTtl.accept(Duration.ofSeconds(-1));
			case "null serializer" -> serializer.accept(null);
			case "null failureMode" -> failureMode.accept(null);
			case "null layer" -> layer.accept(null);
			default -> throw new IllegalArgumentException(argument);
		}
	}

}
