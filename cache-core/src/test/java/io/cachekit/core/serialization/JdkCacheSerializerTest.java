package io.cachekit.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;
import io.cachekit.fixtures.HostilePayloads;

/** The jdk serializer's limits: hostile graphs are refused quickly, realistic values still read. */
class JdkCacheSerializerTest {

	/** Far above what a refusal takes (a few ms); far below what SerialDOS at depth 30 takes (minutes). */
	private static final Duration BOUND = Duration.ofSeconds(1);

	private final CacheSerializer<Object> jdk = CacheSerializers.jdk(List.of());

	@ParameterizedTest
	@ValueSource(ints = { 30, 55, 100 })
	void serialDosIsRefusedQuickly(int depth) throws Exception {
		byte[] payload = HostilePayloads.serialDos(depth);
		assertThat(payload.length).isLessThan(10_000); // 2 KB at depth 55
		assertThat(decodeWithin(payload)).isInstanceOf(CacheSerializationException.class);
	}

	@ParameterizedTest
	@ValueSource(ints = { 30, 60 })
	void theSameExplosionBuiltFromListsIsRefusedQuickly(int depth) throws Exception {
		assertThat(decodeWithin(HostilePayloads.listBomb(depth))).isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void realisticValuesStillRoundTrip() {
		List<String> strings = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			strings.add("value-" + i);
		}
		Map<String, Object> maps = new HashMap<>();
		Map<String, Object> level = maps;
		for (int i = 0; i < 10; i++) {
			Map<String, Object> next = new LinkedHashMap<>();
			level.put("child", next);
			level.put("name", "level " + i);
			level.put("items", new ArrayList<>(List.of(new java.math.BigDecimal("1.5"), i)));
			level = next;
		}
		Hashtable<String, Object> table = new Hashtable<>(Map.of("k", new HashMap<>(Map.of("j", List.of(1, 2)))));
		byte[] megabyte = new byte[1 << 20];
		new java.util.Random(1).nextBytes(megabyte);
		List<Object> deepOutsideAnyHashCollection = new ArrayList<>();
		List<Object> cursor = deepOutsideAnyHashCollection;
		for (int i = 0; i < 50; i++) {
			List<Object> next = new ArrayList<>();
			cursor.add(next);
			cursor = next;
		}
		for (Object value : List.of(strings, maps, table, deepOutsideAnyHashCollection)) {
			assertThat(this.jdk.deserialize(this.jdk.serialize(value))).isEqualTo(value);
		}
		assertThat((byte[]) this.jdk.deserialize(this.jdk.serialize(megabyte))).isEqualTo(megabyte);
	}

	/** Decodes on a fresh daemon thread, so a regression fails the test instead of hanging it. */
	private Throwable decodeWithin(byte[] payload) throws InterruptedException {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Supplier<Object> decode = () -> {
			try {
				return this.jdk.deserialize(payload);
			}
			catch (RuntimeException ex) {
				return ex;
			}
		};
		Thread reader = new Thread(() -> outcome.set(decode.get()), "jdk-decode");
		reader.setDaemon(true);
		long start = System.nanoTime();
		reader.start();
		reader.join(BOUND.toMillis());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(reader.isAlive()).as("decode still running after " + BOUND).isFalse();
		assertThat(took).isLessThan(BOUND);
		System.out.println("jdk decode of " + payload.length + " bytes answered in " + took.toMillis() + " ms");
		assertThat(outcome.get()).isInstanceOf(Throwable.class);
		return (Throwable) outcome.get();
	}

}
