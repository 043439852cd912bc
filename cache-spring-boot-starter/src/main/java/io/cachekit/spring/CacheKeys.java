package io.cachekit.spring;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.UUID;
import java.time.temporal.TemporalAccessor;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns a cache key object into the string stored in Redis. The form must be the same in every
 * JVM (no hash codes), and distinct keys must give distinct strings: a {@link SimpleKey} of
 * {@code ("a,b")} and one of {@code ("a", "b")} differ.
 */
final class CacheKeys {

	private static final @Nullable Field SIMPLE_KEY_PARAMS = simpleKeyParams();

	private CacheKeys() {
	}

	static String toKeyString(Object key) {
		if (key instanceof String string) {
			return string;
		}
		if (key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof Enum<?>
				|| key instanceof UUID || key instanceof TemporalAccessor || key instanceof CharSequence) {
			return key.toString();
		}
		if (key instanceof SimpleKey simpleKey) {
			return simpleKeyString(simpleKey);
		}
		if (key instanceof Object[] array) {
			return Arrays.deepToString(array);
		}
		if (hasOwnToString(key.getClass())) {
			return key.toString();
		}
		throw new IllegalStateException("Cannot derive a stable cache key from a " + key.getClass().getName()
				+ ": give it a toString() that identifies it, or use a key expression or KeyGenerator");
	}

	private static String simpleKeyString(SimpleKey key) {
		Object[] params = params(key);
		if (params == null) {
			return key.toString();
		}
		StringBuilder sb = new StringBuilder("[");
		for (int i = 0; i < params.length; i++) {
			if (i > 0) {
				sb.append(',');
			}
			Object param = params[i];
			String part = (param != null) ? toKeyString(param) : "\\0";
			sb.append(part.replace("\\", "\\\\").replace(",", "\\,"));
		}
		return sb.append(']').toString();
	}

	private static Object @Nullable [] params(SimpleKey key) {
		if (SIMPLE_KEY_PARAMS == null) {
			return null;
		}
		try {
			return (Object[]) SIMPLE_KEY_PARAMS.get(key);
		}
		catch (IllegalAccessException ex) {
			return null;
		}
	}

	private static @Nullable Field simpleKeyParams() {
		try {
			Field field = SimpleKey.class.getDeclaredField("params");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// SimpleKey changed shape or reflection is closed: fall back to its toString()
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
