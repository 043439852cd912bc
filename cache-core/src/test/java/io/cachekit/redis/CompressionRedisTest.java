package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachekit.core.CacheException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.Bombs;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.core.serialization.Compression;
import io.cachekit.core.serialization.CompressionAlgorithm;
import io.cachekit.test.RedisExtension;

/**
 * Compression on a real Redis (issue 23, item 3): one backend writing plain values and one
 * writing compressed ones share a prefix and read each other's values (switching compression on
 * needs no flush); values under the threshold are stored as they are; a 1 GiB decompression bomb
 * planted under a key is a miss (and deleted) in fail-open and a SERIALIZATION error in fail-fast,
 * refused quickly and within bounded memory of the reading thread. Run here on a standalone server
 * and on the local cluster by {@link ClusterCompressionRedisTest}.
 */
class CompressionRedisTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	/** Memory a refused bomb may cost the reading thread (the reply's 4 MiB among it): far below its gigabyte. */
	private static final long BOUNDED = 32L * 1024 * 1024;

	private static final String PREFIX = "zip:";

	private RedisCacheBackend<?>[] opened = new RedisCacheBackend<?>[0];

	private RawRedis raw;

	String url() {
		return redis.url();
	}

	private <T> RedisCacheBackend<T> backend(CacheSerializer<T> serializer, FailureMode mode,
			io.cachekit.core.layer.CacheLayer... layers) {
		var builder = RedisCacheBackend.builder(url()).serializer(serializer).prefix(PREFIX);
		for (io.cachekit.core.layer.CacheLayer layer : layers) {
			builder.layer(layer);
		}
		RedisCacheBackend<T> backend = builder
			.failureMode(mode)
			// not what these tests are about: generous, so a busy machine drops no write (fail-open)
			.commandTimeout(java.time.Duration.ofSeconds(5))
			.build();
		backend.initialize();
		this.opened = java.util.Arrays.copyOf(this.opened, this.opened.length + 1);
		this.opened[this.opened.length - 1] = backend;
		if (this.raw == null) {
			this.raw = RawRedis.open(url());
		}
		return backend;
	}

	@AfterEach
	void close() {
		for (RedisCacheBackend<?> backend : this.opened) {
			backend.clear();
			backend.shutdown();
		}
		if (this.raw != null) {
			this.raw.close();
		}
	}

	private byte[] stored(String key) {
		return this.raw.commands.get(PREFIX + key);
	}

	static String json(int bytes) {
		StringBuilder json = new StringBuilder("{\"items\":[");
		for (int i = 0; json.length() < bytes - 60; i++) {
			json.append("{\"id\":").append(i).append(",\"name\":\"product ").append(i % 50).append("\"},");
		}
		return json.append("{\"id\":-1}]}").toString();
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void plainAndCompressedValuesAreReadSideBySide(CompressionAlgorithm algorithm) {
		RedisCacheBackend<String> plain = backend(CacheSerializers.string(), FailureMode.FAIL_OPEN);
		RedisCacheBackend<String> compressed = backend(
				CacheSerializers.compressed(CacheSerializers.string(), Compression.of(algorithm)), FailureMode.FAIL_OPEN);
		String large = json(10_000);
		String other = json(20_000);
		plain.set("old", large);
		compressed.set("new", other);
		compressed.setMany(Map.of("batch", large));
		assertThat(stored("old")).isEqualTo(large.getBytes(StandardCharsets.UTF_8));
		assertThat(stored("new")).startsWith(0, 'C', 'K', 'Z');
		assertThat(stored("new").length).isLessThan(other.length() / 2);
		// written before compression was switched on: read by the compressing backend
		assertThat(compressed.get("old")).contains(large);
		assertThat(compressed.getMany(java.util.List.of("old", "new", "batch")))
			.containsExactly(Map.entry("old", large), Map.entry("new", other), Map.entry("batch", large));
		assertThat(compressed.async().get("new").join()).contains(other);
	}

	@Test
	void valuesUnderTheThresholdAreStoredAsTheyAre() {
		RedisCacheBackend<String> compressed = backend(
				CacheSerializers.compressed(CacheSerializers.string(), Compression.lz4().withThreshold(2048)),
				FailureMode.FAIL_OPEN);
		String small = json(2000);
		String large = json(2100);
		compressed.set("small", small);
		compressed.set("large", large);
		assertThat(stored("small")).isEqualTo(small.getBytes(StandardCharsets.UTF_8));
		assertThat(stored("large")).startsWith(0, 'C', 'K', 'Z');
		assertThat(compressed.get("small")).contains(small);
		assertThat(compressed.get("large")).contains(large);
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void aGigabyteBombIsAMissRefusedQuicklyWithinBoundedMemory(CompressionAlgorithm algorithm) {
		RedisCacheBackend<String> open = backend(
				CacheSerializers.compressed(CacheSerializers.string(), Compression.of(algorithm)), FailureMode.FAIL_OPEN);
		for (long declared : new long[] { Bombs.INFLATED, 1 << 20 }) {
			byte[] bomb = (algorithm == CompressionAlgorithm.LZ4) ? Bombs.lz4(declared) : Bombs.zstd(declared);
			this.raw.commands.set(PREFIX + "bomb", bomb);
			long allocated = allocatedBytes();
			long started = System.nanoTime();
			// the blocking face decodes on the caller's thread: its allocations are the read's
			assertThat(open.get("bomb")).isEmpty();
			long took = System.nanoTime() - started;
			assertThat(allocatedBytes() - allocated).as("bytes allocated refusing the bomb").isLessThan(BOUNDED);
			assertThat(took).as("nanoseconds refusing the bomb").isLessThan(2_000_000_000L);
			// fail-open deletes the unreadable entry (in the background: polled with a deadline)
			long deadline = System.nanoTime() + 5_000_000_000L;
			while (this.raw.commands.exists(PREFIX + "bomb") == 1 && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(this.raw.commands.exists(PREFIX + "bomb")).isZero();
		}
	}

	@Test
	void theLoadingLayersEnvelopesHoldCompressedValues() {
		// early refresh: each entry is an envelope (logical expiry, load time) around the serializer's bytes
		RedisCacheBackend<String> cache = backend(
				CacheSerializers.compressed(CacheSerializers.string(), Compression.zstd()), FailureMode.FAIL_OPEN,
				io.cachekit.loading.LoadingLayer.of(io.cachekit.loading.LoadingSettings.defaults().withEarlyRefresh(true)));
		String large = json(10_000);
		assertThat(cache.getOrLoad("loaded", () -> large)).isEqualTo(large);
		cache.set("set", large);
		for (String key : new String[] { "loaded", "set" }) {
			byte[] stored = stored(key);
			assertThat(stored).startsWith('C', 'K', 'E', 1);
			assertThat(stored.length).isLessThan(large.length() / 2);
			assertThat(cache.get(key)).contains(large);
		}
	}

	@Test
	void aBombIsASerializationErrorInFailFast() {
		RedisCacheBackend<String> fast = backend(
				CacheSerializers.compressed(CacheSerializers.string(), Compression.lz4()), FailureMode.FAIL_FAST);
		this.raw.commands.set(PREFIX + "bomb", Bombs.lz4(1 << 20));
		assertThatThrownBy(() -> fast.get("bomb")).isInstanceOf(CacheException.class)
			.satisfies((ex) -> assertThat(((CacheException) ex).getErrorCode()).isEqualTo(ErrorCode.SERIALIZATION));
	}

	private static long allocatedBytes() {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
	}

}
