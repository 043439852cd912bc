package io.cachekit.spring;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * Turns a cache key object into the string stored in Redis. The form must be the same in every
 * JVM (no hash codes, no iteration order of hash-based sets and maps), and keys that are not
 * equal must give different strings. The rules:
 *
 * <ul>
 * <li>Scalars ({@code String} and other {@code CharSequence}s, numbers, booleans, characters,
 * enums by name, {@code UUID}, {@code java.time} values, {@code URI}, {@code Locale},
 * {@code Currency}, {@code Class} by name) are written as their text. A scalar is written by
 * value, not type: {@code 1} and {@code "1"} are the same key.</li>
 * <li>Spring's {@link SimpleKey} (several method arguments), lists and arrays:
 * {@code [a,b]}; sets: {@code {a,b}} with the elements sorted; maps: {@code {k=v,k2=v2}}
 * sorted by key ({@code {=}} when empty); records: {@code Name(component,component)}. Each
 * element follows these rules again, so nesting is allowed.</li>
 * <li>In a scalar's text, {@code \ , [ ] { } ( ) =} are escaped with a backslash, so
 * {@code ["a,b"]} ({@code [a\,b]}) and {@code ["a","b"]} ({@code [a,b]}) differ and no string
 * reads as a list; {@code null} is {@code \0}, an empty string inside a list {@code \e}.</li>
 * <li>Any other object is accepted only if its class declares its own {@code toString()},
 * which is then trusted to identify it (and escaped like a scalar). Otherwise, at any depth,
 * an {@link IllegalArgumentException} names the type and the ways out.</li>
 * </ul>
 */
final class CacheKeys {

	private static final @Nullable Field SIMPLE_KEY_PARAMS = simpleKeyParams();

	private static final int MAX_DEPTH = 16;

	private CacheKeys() {
	}

	/**
	 * The key's stable string form.
	 * @throws IllegalArgumentException when the key, or anything inside it, has no stable form
	 */
	static String toKeyString(Object key) {
		if (key instanceof String string && isPlain(string)) {
			return string;
		}
		StringBuilder out = new StringBuilder();
		write(key, out, 0, key);
		return out.toString();
	}

	private static void write(@Nullable Object value, StringBuilder out, int depth, Object key) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("Cache key " + key.getClass().getName() + " nests deeper than "
					+ MAX_DEPTH + " levels (or contains itself); use a key expression or a KeyGenerator");
		}
		if (value == null) {
			out.append("\\0");
		}
		else if (value instanceof SimpleKey simpleKey) {
			writeSequence(Arrays.asList(params(simpleKey)), out, depth, key);
		}
		else if (value instanceof List<?> list) {
			writeSequence(list, out, depth, key);
		}
		else if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			List<@Nullable Object> elements = new ArrayList<>(length);
			for (int i = 0; i < length; i++) {
				elements.add(Array.get(value, i));
			}
			writeSequence(elements, out, depth, key);
		}
		else if (value instanceof Set<?> set) {
			out.append('{').append(String.join(",", sortedForms(set, depth, key))).append('}');
		}
		else if (value instanceof Map<?, ?> map) {
			writeMap(map, out, depth, key);
		}
		else if (value instanceof Record record) {
			writeRecord(record, out, depth, key);
		}
		else if (value instanceof Collection<?>) {
			throw noStableForm(value, key, "a collection that is neither a List nor a Set has no defined order");
		}
		else {
			escape(scalarText(value, key), out);
		}
	}

	private static void writeSequence(List<?> elements, StringBuilder out, int depth, Object key) {
		out.append('[');
		for (int i = 0; i < elements.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			write(elements.get(i), out, depth + 1, key);
		}
		out.append(']');
	}

	private static void writeMap(Map<?, ?> map, StringBuilder out, int depth, Object key) {
		if (map.isEmpty()) {
			out.append("{=}");
			return;
		}
		List<String> entries = new ArrayList<>(map.size());
		map.forEach((k, v) -> {
			StringBuilder entry = new StringBuilder();
			write(k, entry, depth + 1, key);
			entry.append('=');
			write(v, entry, depth + 1, key);
			entries.add(entry.toString());
		});
		entries.sort(null);
		out.append('{').append(String.join(",", entries)).append('}');
	}

	private static void writeRecord(Record record, StringBuilder out, int depth, Object key) {
		out.append(record.getClass().getSimpleName()).append('(');
		RecordComponent[] components = record.getClass().getRecordComponents();
		for (int i = 0; i < components.length; i++) {
			if (i > 0) {
				out.append(',');
			}
			Object component;
			try {
				Method accessor = components[i].getAccessor();
				ReflectionUtils.makeAccessible(accessor);
				component = accessor.invoke(record);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new IllegalArgumentException("Cannot read component '" + components[i].getName() + "' of cache key "
						+ record.getClass().getName() + ": " + ex + "; make the record accessible or use a KeyGenerator",
						ex);
			}
			write(component, out, depth + 1, key);
		}
		out.append(')');
	}

	private static List<String> sortedForms(Collection<?> elements, int depth, Object key) {
		List<String> forms = new ArrayList<>(elements.size());
		for (Object element : elements) {
			StringBuilder form = new StringBuilder();
			write(element, form, depth + 1, key);
			forms.add(form.toString());
		}
		forms.sort(null);
		return forms;
	}

	private static String scalarText(Object value, Object key) {
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		if (value instanceof Class<?> type) {
			return type.getName();
		}
		if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
				|| value instanceof Character || value instanceof UUID || value instanceof TemporalAccessor
				|| value instanceof URI || value instanceof Locale || value instanceof Currency
				|| hasOwnToString(value.getClass())) {
			return value.toString();
		}
		throw noStableForm(value, key, "it does not declare toString(), so its text would be a hash code");
	}

	private static IllegalArgumentException noStableForm(Object value, Object key, String why) {
		String where = (value == key) ? "" : " (inside a cache key of type " + key.getClass().getName() + ")";
		return new IllegalArgumentException("Cannot derive a stable cache key from a " + value.getClass().getName()
				+ where + ": " + why + ". Give " + value.getClass().getSimpleName()
				+ " a toString() that identifies it, make it a record of stable components, or use a key expression"
				+ " (@Cacheable(key = ...)) or a custom KeyGenerator");
	}

	/** Whether a top-level string needs no escaping: it then is the key as written. */
	private static boolean isPlain(String string) {
		for (int i = 0; i < string.length(); i++) {
			if (isSpecial(string.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isSpecial(char c) {
		return switch (c) {
			case '\\', ',', '[', ']', '{', '}', '(', ')', '=' -> true;
			default -> false;
		};
	}

	private static void escape(String text, StringBuilder out) {
		if (text.isEmpty()) {
			// inside a list, [] and [""] must differ
			out.append("\\e");
			return;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (isSpecial(c)) {
				out.append('\\');
			}
			out.append(c);
		}
	}

	private static @Nullable Object[] params(SimpleKey key) {
		if (SIMPLE_KEY_PARAMS == null) {
			throw new IllegalStateException("Cannot read the arguments of a SimpleKey (this Spring version hides them);"
					+ " use a key expression or a custom KeyGenerator");
		}
		try {
			return (Object[]) SIMPLE_KEY_PARAMS.get(key);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot read the arguments of a SimpleKey", ex);
		}
	}

	private static @Nullable Field simpleKeyParams() {
		try {
			Field field = SimpleKey.class.getDeclaredField("params");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean hasOwnToString(Class<?> type) {
		try {
			return type.getMethod("toString").getDeclaringClass() != Object.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
