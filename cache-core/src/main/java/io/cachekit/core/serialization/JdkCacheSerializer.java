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
 * Java serialization guarded by {@link SharingBudget} (graphs whose hashing would explode while
 * they are read are refused before {@code ObjectInputStream} sees them) and an
 * {@link ObjectInputFilter}: an allow-list (a class the list does not admit is refused before it is
 * instantiated) and resource limits.
 */
final class JdkCacheSerializer implements CacheSerializer<Object> {

	private static final List<String> ALWAYS_ALLOWED = List.of("java.lang.*", "java.util.*", "java.time.*",
			"java.math.*");

	/**
	 * Limits for one stored value, generous for anything a cache holds (a value this big is already
	 * a problem for Redis) and small enough that a few hostile bytes cannot make a read allocate or
	 * recurse without bound:
	 * <ul>
	 * <li>{@code maxbytes=32 MiB}: the whole stream;</li>
	 * <li>{@code maxarray=16 Mi} elements: an array is allocated at its declared length before its
	 * elements are read, so without this a 30-byte stream can ask for a 2^31-element array; 16 Mi
	 * admits a 16 MB {@code byte[]} or the hash table of a map with about 12 million entries;</li>
	 * <li>{@code maxrefs=1,000,000} objects and back-references (a list of 10,000 strings uses about
	 * 10,000);</li>
	 * <li>{@code maxdepth=64}: nesting, far below what overflows the reading thread's stack.</li>
	 * </ul>
	 * None of these stops SerialDOS (a 2 KB graph of sets that share their elements, whose
	 * {@code hashCode} doubles in cost per level, refused here before {@code maxdepth} at 55
	 * levels), nor its list variant ({@code a = [b, b]}, ... inside one set, no hash-based
	 * collection nested at all), nor a wider one ({@code a = [b x 8]}, 12 levels, 735 bytes): an
	 * {@code ObjectInputFilter} is told the depth and count of references but not which object a
	 * back-reference names, so it cannot see sharing, and bounding depth below hash-based
	 * collections only turns {@code 2^depth} into {@code k^depth}. {@link SharingBudget} reads the
	 * handles themselves and bounds the hashing cost of any shape.
	 */
	static final String LIMITS = "maxbytes=33554432;maxarray=16777216;maxrefs=1000000;maxdepth=64";

	private final ObjectInputFilter filter;

	JdkCacheSerializer(Collection<String> allowList) {
		List<String> patterns = new ArrayList<>();
		patterns.add(LIMITS);
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
		byte[] written = bytes.toByteArray();
		try {
			SharingBudget.check(written);
		}
		catch (IllegalArgumentException ex) {
			// refused now rather than stored as an entry that every read would refuse
			throw new CacheSerializationException("value of type " + value.getClass().getName()
					+ " could not be read back: " + ex.getMessage(), null);
		}
		return written;
	}

	@Override
	public Object deserialize(byte[] bytes) {
		try {
			SharingBudget.check(bytes);
		}
		catch (IllegalArgumentException ex) {
			throw new CacheSerializationException("refused to deserialize: " + ex.getMessage(), null);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(this.filter);
			return in.readObject();
		}
		catch (InvalidClassException ex) {
			throw new CacheSerializationException("refused to deserialize a class outside the jdk serializer's allow-list"
					+ " or beyond its limits (" + LIMITS + "): " + ex.getMessage(), ex);
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new CacheSerializationException("stored bytes are not a readable Java-serialized value", ex);
		}
		catch (StackOverflowError ex) {
			// a cycle through a collection being hashed as it is read (a set holding lists that hold
			// the set) recurses until the stack overflows; unwound here, the thread is fine
			throw new CacheSerializationException("stored value recursed without end while it was read", ex);
		}
	}

}
