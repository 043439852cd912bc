package io.cachekit.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * The compressing serializer alone (issue 23, item 3): round trips, the threshold, plain and
 * compressed values read side by side, bombs refused within bounded memory, and the sentence a
 * missing codec library gives. {@code io.cachekit.redis.CompressionRedisTest} does the same through
 * a backend on a real Redis.
 */
class CompressionTest {

	/** Memory a refused bomb may cost the reading thread: far below the gigabyte it would inflate to. */
	static final long BOUNDED = 32L * 1024 * 1024;

	private static final CacheSerializer<String> TEXT = CacheSerializers.string();

	static String json(int bytes) {
		StringBuilder json = new StringBuilder("{\"items\":[");
		for (int i = 0; json.length() < bytes - 60; i++) {
			json.append("{\"id\":").append(i).append(",\"name\":\"product ").append(i % 50).append("\"},");
		}
		return json.append("{\"id\":-1}]}").toString();
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void valuesOverTheThresholdAreCompressedAndReadBack(CompressionAlgorithm algorithm) {
		CacheSerializer<String> compressed = Compression.of(algorithm).withThreshold(1000).wrap(TEXT);
		String large = json(10_000);
		byte[] stored = compressed.serialize(large);
		assertThat(stored).startsWith(0, 'C', 'K', 'Z');
		assertThat(stored.length).isLessThan(large.length() / 2);
		assertThat(compressed.deserialize(stored)).isEqualTo(large);
		// below the threshold: the delegate's bytes as they are
		String small = json(900);
		assertThat(compressed.serialize(small)).isEqualTo(small.getBytes(StandardCharsets.UTF_8));
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void plainAndCompressedValuesAreReadSideBySide(CompressionAlgorithm algorithm) {
		CacheSerializer<String> compressed = Compression.of(algorithm).withThreshold(0).wrap(TEXT);
		String value = json(5_000);
		// written before compression was on
		assertThat(compressed.deserialize(TEXT.serialize(value))).isEqualTo(value);
		// written with the other algorithm
		CompressionAlgorithm other = (algorithm == CompressionAlgorithm.LZ4) ? CompressionAlgorithm.ZSTD
				: CompressionAlgorithm.LZ4;
		assertThat(compressed.deserialize(Compression.of(other).withThreshold(0).wrap(TEXT).serialize(value)))
			.isEqualTo(value);
	}

	@Test
	void aPlainValueThatStartsWithTheMagicReadsBackAsWritten() {
		CacheSerializer<byte[]> compressed = Compression.lz4().wrap(CacheSerializers.bytes());
		byte[] tricky = { 0, 'C', 'K', 'Z', 1, 0, 0, 0, 9, 42 };
		assertThat(compressed.deserialize(compressed.serialize(tricky))).isEqualTo(tricky);
	}

	@Test
	void incompressibleValuesAreStoredAsTheyAre() {
		byte[] random = new byte[4096];
		new java.util.Random(1).nextBytes(random);
		random[0] = 1;
		CacheSerializer<byte[]> compressed = Compression.lz4().withThreshold(0).wrap(CacheSerializers.bytes());
		assertThat(compressed.serialize(random)).isEqualTo(random);
	}

	@Test
	void valuesOverTheLimitAreStoredAsTheyAreSoTheyStayReadable() {
		CacheSerializer<String> compressed = Compression.zstd().withThreshold(0).withMaxDecompressedSize(4096).wrap(TEXT);
		String large = json(10_000);
		byte[] stored = compressed.serialize(large);
		assertThat(stored).isEqualTo(large.getBytes(StandardCharsets.UTF_8));
		assertThat(compressed.deserialize(stored)).isEqualTo(large);
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void aGigabyteBombIsRefusedQuicklyWithinBoundedMemory(CompressionAlgorithm algorithm) {
		CacheSerializer<String> compressed = Compression.of(algorithm).wrap(TEXT);
		// its header honest (1 GiB, over the limit) or lying (1 MiB, under it): refused either way
		for (long declared : new long[] { Bombs.INFLATED, 1 << 20 }) {
			byte[] bomb = (algorithm == CompressionAlgorithm.LZ4) ? Bombs.lz4(declared) : Bombs.zstd(declared);
			assertThat(bomb.length).isLessThan(8 * 1024 * 1024);
			long allocated = allocatedBytes();
			long started = System.nanoTime();
			assertThatThrownBy(() -> compressed.deserialize(bomb)).isInstanceOf(CacheSerializationException.class)
				.hasMessageContaining("refused");
			long took = System.nanoTime() - started;
			assertThat(allocatedBytes() - allocated).as("bytes allocated refusing the bomb").isLessThan(BOUNDED);
			// a gigabyte inflated would take seconds: refusing it takes a small fraction of one (a generous bound)
			assertThat(took).as("nanoseconds refusing the bomb").isLessThan(2_000_000_000L);
		}
	}

	@ParameterizedTest
	@EnumSource(value = CompressionAlgorithm.class, names = { "LZ4", "ZSTD" })
	void theBombsAreRealOnesMadeSmaller(CompressionAlgorithm algorithm) {
		// the same make as the gigabyte ones, inflating to 8 MiB under an honest header: read in full
		int inflated = 8 << 20;
		byte[] bomb = (algorithm == CompressionAlgorithm.LZ4) ? Bombs.lz4(inflated, inflated) : Bombs.zstd(inflated, inflated);
		byte[] plain = Compression.of(algorithm).wrap(CacheSerializers.bytes()).deserialize(bomb);
		assertThat(plain).hasSize(inflated);
		for (byte b : plain) {
			assertThat(b == 0).isTrue();
		}
	}

	@Test
	void aMissingCodecLibraryIsNamedInTheError() throws Exception {
		// cache-core's classes in a loader that sees neither lz4-java nor zstd-jni
		URL classes = Path.of("target", "classes").toUri().toURL();
		try (URLClassLoader without = new URLClassLoader(new URL[] { classes }, ClassLoader.getPlatformClassLoader())) {
			Class<?> codecs = without.loadClass(Codecs.class.getName());
			Class<?> algorithms = without.loadClass(CompressionAlgorithm.class.getName());
			var of = codecs.getDeclaredMethod("of", algorithms);
			of.setAccessible(true);
			for (String name : new String[] { "LZ4", "ZSTD" }) {
				Object algorithm = Arrays.stream(algorithms.getEnumConstants())
					.filter((a) -> a.toString().equals(name))
					.findFirst()
					.orElseThrow();
				assertThatThrownBy(() -> {
					try {
						of.invoke(null, algorithm);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
				}).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining(name.equals("LZ4") ? "at.yawk.lz4:lz4-java" : "com.github.luben:zstd-jni");
			}
		}
	}

	static long allocatedBytes() {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
	}

}
