package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

/** How cache key objects become Redis key strings (pure logic, no Redis). */
class CacheKeysTests {

	@Test
	void plainScalarsAreWrittenAsTheirText() {
		assertThat(CacheKeys.toKeyString("p1")).isEqualTo("p1");
		assertThat(CacheKeys.toKeyString(42)).isEqualTo("42");
		assertThat(CacheKeys.toKeyString(Color.RED)).isEqualTo("RED");
		assertThat(CacheKeys.toKeyString(LocalDate.of(2026, 12, 1))).isEqualTo("2026-12-01");
		assertThat(CacheKeys.toKeyString(1)).as("by value, not type").isEqualTo(CacheKeys.toKeyString("1"));
	}

	@Test
	void elementsWithoutAStableFormAreRejectedAtAnyDepth() {
		// equal hash codes, no toString(): List.toString() used to write both as "[...NoText@820]"
		assertThat(new NoText("Aa").hashCode()).isEqualTo(new NoText("BB").hashCode());
		for (Object key : List.of(List.of(new NoText("Aa")), Set.of(new NoText("Aa")), Map.of("k", new NoText("Aa")),
				new Object[] { new NoText("Aa") }, new Holder(new NoText("Aa")), List.of(List.of(new Object())),
				new NoText("Aa"))) {
			assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.toKeyString(key))
				.withMessageContaining(NoText.class.getSimpleName().equals(key.getClass().getSimpleName())
						? NoText.class.getName() : "")
				.withMessageContaining("toString()")
				.withMessageContaining("record")
				.withMessageContaining("KeyGenerator");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> CacheKeys.toKeyString(List.of(new NoText("Aa"))))
			.withMessageContaining(NoText.class.getName());
	}

	@Test
	void recordsAndCollectionsOfStableElementsAreWrittenElementByElement() {
		assertThat(CacheKeys.toKeyString(new Named("Aa"))).isEqualTo("Named(Aa)");
		assertThat(CacheKeys.toKeyString(List.of(new Named("Aa")))).isNotEqualTo(CacheKeys.toKeyString(List.of(new Named("BB"))));
		assertThat(CacheKeys.toKeyString(List.of(new Named("Aa"), 2))).isEqualTo("[Named(Aa),2]");
		assertThat(CacheKeys.toKeyString(new Holder(List.of(Color.RED, Color.BLUE)))).isEqualTo("Holder([RED,BLUE])");
		assertThat(CacheKeys.toKeyString(new int[] { 1, 2 })).isEqualTo("[1,2]");
		assertThat(CacheKeys.toKeyString(new SimpleKey("a", null, List.of(1)))).isEqualTo("[a,\\0,[1]]");
	}

	@Test
	void setsAndMapsAreWrittenInAnOrderThatDoesNotDependOnTheJvm() {
		Set<Object> set = new HashSet<>(List.of(Color.BLUE, Color.RED, Color.GREEN));
		assertThat(CacheKeys.toKeyString(set)).isEqualTo("{BLUE,GREEN,RED}");
		Map<String, Integer> inserted = new LinkedHashMap<>();
		inserted.put("b", 2);
		inserted.put("a", 1);
		assertThat(CacheKeys.toKeyString(inserted)).isEqualTo("{a=1,b=2}")
			.isEqualTo(CacheKeys.toKeyString(new TreeMap<>(inserted)));
	}

	@Test
	void distinctKeysStayDistinct() {
		List<Object> keys = List.of(List.of("a,b"), List.of("a", "b"), "[a,b]", "a,b", List.of(List.of("a", "b")),
				List.of("[a", "b]"), new SimpleKey("a=b"), Map.of("a", "b"), Set.of("a=b"), Set.of(), Map.of(), List.of(),
				List.of(""), Arrays.asList((Object) null), List.of("\\0"), "Named(Aa)", new Named("Aa"),
				new Named("A,a"), List.of(new Named("A"), "a"), List.of("x\\", "y"), List.of("x\\,y"));
		List<String> forms = keys.stream().map(CacheKeys::toKeyString).toList();
		assertThat(forms).doesNotHaveDuplicates();
	}

	enum Color {

		RED, GREEN, BLUE

	}

	record Named(String name) {
	}

	record Holder(Object content) {
	}

	/** Equal hash codes for "Aa" and "BB", and no toString(). */
	static final class NoText {

		private final String value;

		NoText(String value) {
			this.value = value;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof NoText that && this.value.equals(that.value);
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(this.value);
		}

	}

}
