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
	void widerSharingIsRefusedQuicklyToo() throws Exception {
		byte[] payload = HostilePayloads.listBomb(8, 12); // 8^12 nodes to hash, within any depth limit
		assertThat(payload.length).isLessThan(1000);
		assertThat(decodeWithin(payload)).isInstanceOf(CacheSerializationException.class)
			.hasMessageContaining("shares objects");
	}

	@Test
	void aCycleThatOverflowsTheStackWhileHashingIsASerializationFailure() throws Exception {
		assertThat(decodeWithin(HostilePayloads.cyclicSet())).isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void aHandWrittenStreamNestedDeeperThanAnyStackIsASerializationFailure() throws Exception {
		assertThat(decodeWithin(HostilePayloads.deepSuperclassChain(100_000)))
			.isInstanceOf(CacheSerializationException.class);
	}

	@Test
	void aValueThatCouldNotBeReadBackIsRefusedWhenWritten() {
		List<Object> current = new ArrayList<>(List.of("x"));
		for (int i = 0; i < 12; i++) {
			List<Object> up = new ArrayList<>();
			for (int j = 0; j < 8; j++) {
				up.add(current);
			}
			current = up;
		}
		List<Object> shared = current;
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.jdk.serialize(shared))
			.isInstanceOf(CacheSerializationException.class).hasMessageContaining("could not be read back");
	}

	@Test
	void moderateSharingAndLargeTreesStillRoundTrip() {
		io.cachekit.fixtures.Product lamp = new io.cachekit.fixtures.Product("p1", "Lamp", new java.math.BigDecimal("19.90"),
				List.of("home"));
		CacheSerializer<Object> withFixtures = CacheSerializers.jdk(List.of("io.cachekit.fixtures.*"));
		List<Object> sameProductManyTimes = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			sameProductManyTimes.add(lamp);
		}
		Map<String, Object> tree = new HashMap<>();
		for (int i = 0; i < 1000; i++) {
			Map<String, Object> child = new HashMap<>();
			for (int j = 0; j < 100; j++) {
				child.put("k" + j, List.of(j, "v" + j));
			}
			tree.put("c" + i, child);
		}
		for (Object value : List.of(sameProductManyTimes, tree)) {
			assertThat(withFixtures.deserialize(withFixtures.serialize(value))).isEqualTo(value);
		}
	}

	@Test
	void theSharingPassReadsWhatTheJdkWritesForCommonValueTypes() {
		// externalizable java.time values, writeReplace proxies (List.of), custom writeObject
		// (HashMap, BigInteger), enums, arrays: each parsed by SharingBudget, then read for real
		java.util.Map<String, Object> values = new LinkedHashMap<>(CacheSerializersTest.everyAllowListedValue());
		values.put("BigInteger(big)", new java.math.BigInteger("12345678901234567890123456789012345678901234567890"));
		values.put("Optional-free record", new io.cachekit.fixtures.Product("p", "n", java.math.BigDecimal.ONE, List.of()));
		values.put("Properties", new java.util.Properties());
		CacheSerializer<Object> withFixtures = CacheSerializers.jdk(List.of("io.cachekit.fixtures.*"));
		// java.net is outside the jdk serializer's default allow-list
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			if (entry.getValue() instanceof java.io.Serializable && !(entry.getValue() instanceof java.net.URI)) {
				assertThat(withFixtures.deserialize(withFixtures.serialize(entry.getValue()))).as(entry.getKey())
					.isEqualTo(entry.getValue());
			}
		}
	}

	@Test
	void truncatedOrCorruptedStreamsAreASerializationFailureAndNothingElse() {
		byte[] whole = this.jdk.serialize(new HashMap<>(Map.of("k", new ArrayList<>(List.of(1, "two", 3L)))));
		java.util.Random random = new java.util.Random(7);
		for (int i = 0; i < whole.length * 4; i++) {
			byte[] damaged = (i < whole.length) ? java.util.Arrays.copyOf(whole, i) : whole.clone();
			if (i >= whole.length) {
				damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
			}
			try {
				this.jdk.deserialize(damaged);
			}
			catch (CacheSerializationException expected) {
				// the only way to fail
			}
		}
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
