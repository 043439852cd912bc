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
import java.util.Map;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * Java serialization guarded by an {@link ObjectInputFilter}: an allow-list (a class the list does
 * not admit is refused before it is instantiated), resource limits, and {@link HashNesting}
 * against graphs whose hashing explodes while they are read.
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
	 * {@code hashCode} doubles in cost per level): that is {@link HashNesting}'s job.
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
		return bytes.toByteArray();
	}

	@Override
	public Object deserialize(byte[] bytes) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(ObjectInputFilter.merge(this.filter, new HashNesting()));
			return in.readObject();
		}
		catch (InvalidClassException ex) {
			throw new CacheSerializationException("refused to deserialize a class outside the jdk serializer's allow-list"
					+ " or beyond its limits (" + LIMITS + ", at most " + HashNesting.MAX_DEPTH_BELOW
					+ " levels inside a hash-based collection): " + ex.getMessage(), ex);
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new CacheSerializationException("stored bytes are not a readable Java-serialized value", ex);
		}
	}

	/**
	 * Bounds how deep a graph may reach below the outermost hash-based collection being read
	 * ({@code HashMap}, {@code HashSet}, {@code LinkedHashMap}, {@code LinkedHashSet},
	 * {@code Hashtable}, {@code Properties}, {@code ConcurrentHashMap}). One instance per stream:
	 * it keeps state.
	 *
	 * <p>Why: a hash-based collection hashes each key or element as it reads it, and the
	 * {@code hashCode} of a collection, map or record walks its whole sub-graph without caching.
	 * SerialDOS (Wouter Coekaerts) nests sets that share their two children, so the sub-graph
	 * of a set {@code n} levels up, walked as a tree, has about {@code 2^n} nodes: 2 KB and 60
	 * levels cost ~{@code 2^60} steps inside one {@code readObject}. The same works with lists
	 * ({@code a = [b, b]}, {@code b = [c, c]}, ...) put into a single set, so bounding the nesting
	 * of hash-based collections alone is not enough; the depth below the first one is what counts.
	 *
	 * <p>How it is seen: {@link ObjectInputFilter#checkInput} is called for each new class
	 * descriptor, for each back-reference (including the class-descriptor reference that starts
	 * every further object of a known class), and for each array, all with the current depth; a
	 * string or primitive adds no call but is a leaf. So every nesting level of objects is reported.
	 * {@code HashMap}, {@code HashSet} and {@code Hashtable} (and their subclasses) announce
	 * themselves by checking a {@code Map.Entry[]} of their capacity at their own depth before
	 * reading any element; {@code ConcurrentHashMap} by reading its {@code Segment[]} field one
	 * level down. Once such a collection is open at depth {@code d}, everything it holds is reported
	 * at depths above {@code d}, and the first call at depth {@code d} or less means it is done.
	 *
	 * <p>Sufficient for: every sharing graph of fan-out 2 (SerialDOS and its list variant). With at
	 * most {@value #MAX_DEPTH_BELOW} levels under the outermost hash-based collection, hashing
	 * during the read walks at most ~{@code 2^16} nodes per element: milliseconds. Not sufficient
	 * for: a graph that shares wider (each level referencing the next level's object {@code k} times
	 * costs {@code k^levels}); {@code maxrefs} bounds {@code k * levels}, not {@code k^levels}.
	 * The filter cannot tell a back-reference to an object from the class-descriptor reference of
	 * a new one, so it cannot forbid sharing; the {@code jdk} serializer stays for values written
	 * by trusted code only.
	 */
	static final class HashNesting implements ObjectInputFilter {

		/** A map of maps 10 deep holding records with {@code BigDecimal}s and lists reaches about 14. */
		static final int MAX_DEPTH_BELOW = 16;

		private static final String CONCURRENT_HASH_MAP_SEGMENTS = "[Ljava.util.concurrent.ConcurrentHashMap$Segment;";

		/** Depth of the outermost hash-based collection being read; 0 when none is open. */
		private long outermost;

		@Override
		public Status checkInput(FilterInfo info) {
			long depth = info.depth();
			Class<?> type = info.serialClass();
			long opened = (type == Map.Entry[].class) ? depth
					: (type != null && type.getName().equals(CONCURRENT_HASH_MAP_SEGMENTS)) ? depth - 1 : 0;
			if (this.outermost != 0 && depth <= this.outermost) {
				this.outermost = 0; // the collection at that depth is finished
			}
			if (opened > 0 && this.outermost == 0) {
				this.outermost = opened;
			}
			if (this.outermost != 0 && depth - this.outermost > MAX_DEPTH_BELOW) {
				return Status.REJECTED;
			}
			return Status.UNDECIDED;
		}

	}

}
