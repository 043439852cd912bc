package io.cachekit.benchmarks.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The two payloads of the suite: {@code product}, a ~1 KB JSON object with a tag list, and
 * {@code string}, a 100-byte ASCII string. Values are deterministic in their index, so every
 * implementation stores exactly the same data.
 */
public enum Payload {

	/** A {@link Product}: about 1 KB as plain JSON. */
	PRODUCT(Product.class) {
		@Override
		public Object value(int i) {
			return product(i);
		}
	},

	/** A 100-character (100-byte) ASCII string. */
	STRING(String.class) {
		@Override
		public Object value(int i) {
			return string(i);
		}
	};

	private final Class<?> type;

	Payload(Class<?> type) {
		this.type = type;
	}

	/** The value type, which typed serializers are built for. */
	public Class<?> type() {
		return this.type;
	}

	/** The value stored under key number {@code i}. */
	public abstract Object value(int i);

	/** {@code product} or {@code string}, as in the JMH {@code payload} parameter. */
	public static Payload of(String name) {
		return valueOf(name.toUpperCase(java.util.Locale.ROOT));
	}

	private static final String[] TAGS = { "home", "lighting", "living-room", "energy-saving", "dimmable", "led",
			"scandinavian", "oak", "bestseller", "gift-idea", "free-shipping", "new-arrival", "eco", "warm-white" };

	static Product product(int i) {
		List<String> tags = new ArrayList<>(12);
		for (int t = 0; t < 12; t++) {
			tags.add(TAGS[(i + t) % TAGS.length]);
		}
		String id = "p-" + String.format("%06d", i);
		return new Product(id, "SKU-" + (100000 + i) + "-EU", "Table lamp Nordlys " + i, "Nordlys Design AB",
				"home/lighting/table-lamps",
				"A table lamp with a turned oak base and a hand-blown opal glass shade that spreads a warm, even light. "
						+ "The integrated LED module is dimmable in five steps through a touch sensor on the base and "
						+ "uses 9 W at full brightness. The braided textile cable is 2 m long and ends in a European plug. "
						+ "Oak from FSC-certified forests, finished with natural oil; glass made in Sweden. Shade 28 cm wide, "
						+ "lamp 46 cm high, 2.4 kg. LED module 2700 K, 806 lm, rated for 25,000 hours; five-year warranty. "
						+ "Spare shades and cables stay available for ten years. Assembled in Gothenburg, packed "
						+ "plastic-free. Item " + i + ".",
				4990 + (i % 1000), "EUR", 10 + (i % 250), 3.5 + (i % 15) / 10.0, 17 + (i % 900), true, tags);
	}

	static String string(int i) {
		StringBuilder sb = new StringBuilder(100);
		sb.append("value-").append(i).append('-');
		while (sb.length() < 100) {
			sb.append((char) ('a' + (sb.length() + i) % 26));
		}
		return sb.toString();
	}

}
