package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.test.RedisExtension;

/**
 * Where the non-blocking face decodes (the builder's {@code decodeExecutor} Javadoc): a value of at
 * most 4 KiB of CacheKit's JSON, string or bytes serializer where its reply arrives, anything
 * larger and every value of another serializer on the decode executor; the blocking face on the
 * caller.
 */
class DecodePlacementTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private final AtomicInteger handedOver = new AtomicInteger();

	private final Executor counting = (task) -> {
		this.handedOver.incrementAndGet();
		ForkJoinPool.commonPool().execute(task);
	};

	private RedisCacheBackend<?> backend;

	@AfterEach
	void close() {
		if (this.backend != null) {
			this.backend.clear();
			this.backend.close();
		}
	}

	private <T> RedisCacheBackend<T> backend(CacheSerializer<T> serializer) {
		RedisCacheBackend<T> built = RedisCacheBackend.builder(redis.url())
			.serializer(serializer)
			.prefix("decode-placement:")
			.decodeExecutor(this.counting)
			// a busy machine must not turn a slow reply into a miss: fail-fast, and time to answer
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(5))
			.build();
		built.initialize();
		this.backend = built;
		return built;
	}

	private static <V> V await(java.util.concurrent.CompletableFuture<V> future) throws Exception {
		return future.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aSmallValueOfTheShippedSerializersIsDecodedWhereItsReplyArrives() throws Exception {
		RedisCacheBackend<String> strings = backend(CacheSerializers.string());
		strings.set("at-limit", "x".repeat(4096));
		strings.set("small", "value");
		assertThat(await(strings.async().get("small"))).contains("value");
		assertThat(await(strings.async().get("at-limit"))).contains("x".repeat(4096));
		assertThat(await(strings.async().get("absent"))).isEmpty();
		assertThat(await(strings.async().getMany(List.of("small", "absent")))).containsExactly(Map.entry("small", "value"));
		assertThat(this.handedOver).as("no hand-over for 4 KiB or less").hasValue(0);
	}

	@Test
	void aValueOverTheLimitGoesToTheDecodeExecutor() throws Exception {
		RedisCacheBackend<String> strings = backend(CacheSerializers.string());
		strings.set("over-limit", "x".repeat(4097));
		assertThat(await(strings.async().get("over-limit"))).contains("x".repeat(4097));
		assertThat(this.handedOver).hasValue(1);
		strings.set("half", "y".repeat(2100));
		assertThat(await(strings.async().getMany(List.of("half", "over-limit")))).hasSize(2);
		assertThat(this.handedOver).as("getMany: the values together").hasValue(2);
	}

	@Test
	void jsonOfOneTypeIsDecodedInPlaceWhenSmall() throws Exception {
		RedisCacheBackend<Map> json = backend(CacheSerializers.json(Map.class));
		json.set("m", Map.of("name", "lamp"));
		assertThat(await(json.async().get("m"))).contains(Map.of("name", "lamp"));
		assertThat(this.handedOver).hasValue(0);
	}

	@Test
	void everyValueOfAnotherSerializerGoesToTheDecodeExecutor() throws Exception {
		CacheSerializer<String> own = new CacheSerializer<>() {

			@Override
			public byte[] serialize(String value) {
				return CacheSerializers.string().serialize(value);
			}

			@Override
			public String deserialize(byte[] bytes) {
				return CacheSerializers.string().deserialize(bytes);
			}

		};
		RedisCacheBackend<String> strings = backend(own);
		strings.set("small", "v");
		assertThat(await(strings.async().get("small"))).contains("v");
		assertThat(this.handedOver).hasValue(1);
	}

	@Test
	void theBlockingFaceDecodesOnTheCallerWhateverTheSize() {
		RedisCacheBackend<String> strings = backend(CacheSerializers.string());
		strings.set("big", "z".repeat(100_000));
		assertThat(strings.get("big")).isEqualTo(Optional.of("z".repeat(100_000)));
		assertThat(this.handedOver).hasValue(0);
	}

}
