package io.cachekit.core.serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON shape of a value type, as a mapper writes it: its property names and their types,
 * nested types followed, and a short fingerprint of it for versioning a cache by its values'
 * shape. The shape is sorted by property name (independent of the order fields are declared in)
 * and made of names only (no hash codes), so it is the same in every JVM for the same classes.
 *
 * <p>What counts: each property the mapper would write (its JSON name, after renames and
 * ignores) and its declared type; a nested bean's properties in turn (a type that refers back to
 * one being described is written as a reference, so cycles end); the element type of arrays and
 * collections, the key and value types of maps, the content of {@code Optional}s and other
 * references. Types of the JDK ({@code java.*}, {@code javax.*}), primitives and enums are
 * leaves, named by their class. What does not count: the class's own name and package, its
 * methods, and enum constants.
 */
public final class JsonShape {

	/** Hex characters of the fingerprint: 48 bits of SHA-256. */
	private static final int FINGERPRINT_CHARS = 12;

	private JsonShape() {
	}

	/**
	 * The fingerprint of {@code type}'s shape as {@link CacheSerializers#json(Class)} writes it.
	 * @param type the value type
	 * @return 12 lower-case hex characters
	 */
	public static String fingerprint(Class<?> type) {
		JsonMapper mapper = JsonCacheSerializer.defaultMapper();
		return fingerprint(mapper, mapper.constructType(Objects.requireNonNull(type, "type must not be null")));
	}

	/**
	 * The fingerprint of {@code type}'s shape as {@code mapper} writes it: the first 48 bits of
	 * the SHA-256 of {@link #describe(JsonMapper, JavaType)}, in hex.
	 * @param mapper the mapper the values are written with
	 * @param type the value type
	 * @return 12 lower-case hex characters
	 */
	public static String fingerprint(JsonMapper mapper, JavaType type) {
		byte[] digest;
		try {
			digest = MessageDigest.getInstance("SHA-256").digest(describe(mapper, type).getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
		StringBuilder hex = new StringBuilder(FINGERPRINT_CHARS);
		for (int i = 0; hex.length() < FINGERPRINT_CHARS; i++) {
			hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
		}
		return hex.toString();
	}

	/**
	 * The shape of {@code type} as text, such as {@code {id:long,name:java.lang.String,tags:[java.lang.String]}}.
	 * @param mapper the mapper the values are written with
	 * @param type the value type
	 * @return the shape
	 */
	public static String describe(JsonMapper mapper, JavaType type) {
		Objects.requireNonNull(mapper, "mapper must not be null");
		Objects.requireNonNull(type, "type must not be null");
		StringBuilder out = new StringBuilder();
		describe(mapper._serializationContext(), type, new HashSet<>(), out);
		return out.toString();
	}

	private static void describe(SerializationContext context, JavaType type, Set<String> open, StringBuilder out) {
		if (type.isArrayType() || type.isCollectionLikeType()) {
			out.append('[');
			describe(context, type.getContentType(), open, out);
			out.append(']');
		}
		else if (type.isMapLikeType()) {
			out.append("map<");
			describe(context, type.getKeyType(), open, out);
			out.append(',');
			describe(context, type.getContentType(), open, out);
			out.append('>');
		}
		else if (type.isReferenceType()) {
			out.append('?');
			describe(context, type.getContentType(), open, out);
		}
		else if (isLeaf(type.getRawClass())) {
			out.append(type.getRawClass().getName());
		}
		else {
			describeBean(context, type, open, out);
		}
	}

	private static void describeBean(SerializationContext context, JavaType type, Set<String> open, StringBuilder out) {
		String id = type.toCanonical();
		if (!open.add(id)) {
			// a cycle: the type is being described further up
			out.append('@').append(id);
			return;
		}
		BeanDescription bean = context.introspectBeanDescription(type);
		List<BeanPropertyDefinition> properties = new ArrayList<>();
		for (BeanPropertyDefinition property : bean.findProperties()) {
			if (property.couldSerialize()) {
				properties.add(property);
			}
		}
		properties.sort((a, b) -> a.getName().compareTo(b.getName()));
		out.append('{');
		for (int i = 0; i < properties.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			BeanPropertyDefinition property = properties.get(i);
			out.append(property.getName()).append(':');
			describe(context, property.getPrimaryType(), open, out);
		}
		out.append('}');
		open.remove(id);
	}

	private static boolean isLeaf(Class<?> raw) {
		String name = raw.getName();
		return raw.isPrimitive() || raw.isEnum() || name.startsWith("java.") || name.startsWith("javax.")
				|| raw == Object.class;
	}

}
