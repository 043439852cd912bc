package io.cachekit.core.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * Java serialization guarded by an {@link ObjectInputFilter} allow-list: a class the list does
 * not admit is refused before it is instantiated.
 */
final class JdkCacheSerializer implements CacheSerializer<Object> {

	private static final List<String> ALWAYS_ALLOWED = List.of("java.lang.*", "java.util.*", "java.time.*",
			"java.math.*");

	private final ObjectInputFilter filter;

	JdkCacheSerializer(Collection<String> allowList) {
		List<String> patterns = new ArrayList<>();
		patterns.add("maxdepth=64");
		patterns.addAll(ALWAYS_ALLOWED);
		for (String pattern : allowList) {
			if (pattern == null || pattern.isBlank() || pattern.contains(";") || pattern.startsWith("!")) {
				throw new IllegalArgumentException("allowList entries must be class or package patterns, not '"
						+ pattern + "'");
			}
			patterns.add(pattern.strip());
		}
		patterns.add("!*");
		this.filter = ObjectInputFilter.Config.createFilter(String.join(";", patterns));
	}

	@Override
	public byte[] serialize(Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (NotSerializableException ex) {
			throw new CacheSerializationException(
					"value of type " + value.getClass().getName() + " is not Serializable (" + ex.getMessage() + ")", ex);
		}
		catch (IOException ex) {
			throw new CacheSerializationException("could not serialize a " + value.getClass().getName(), ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public Object deserialize(byte[] bytes) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(this.filter);
			return in.readObject();
		}
		catch (InvalidClassException ex) {
			throw new CacheSerializationException("refused to deserialize a class outside the jdk serializer's allow-list: "
					+ ex.getMessage(), ex);
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new CacheSerializationException("stored bytes are not a readable Java-serialized value", ex);
		}
	}

}
