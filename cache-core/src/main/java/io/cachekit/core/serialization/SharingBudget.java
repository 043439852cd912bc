package io.cachekit.core.serialization;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A pass over a Java serialization stream, before {@code ObjectInputStream} sees it, that bounds
 * how much work hashing the graph can cost, whatever its shape.
 *
 * <p>Each object's <em>tree size</em> is the number of nodes of its sub-graph walked as a tree:
 * 1 for a string, enum, class or primitive array, 1 plus its children's for an object or object
 * array, where a back-reference counts the tree size of the object it names (a reference to an
 * object still being read, a cycle, counts 1). A structural {@code hashCode} or {@code equals}
 * (collections, maps, records) visits at most that many nodes. Every insertion of an element into
 * a hash-based collection while reading is an edge from a newly read object to the element, so
 * the hashing during a read costs at most the sum of the tree sizes of all newly read objects;
 * this pass refuses a stream when that sum exceeds {@link #MAX_TOTAL_TREE_SIZE}.
 *
 * <p>That is what stops SerialDOS and every variant of it: sharing is what makes a small stream
 * expensive to hash, and sharing is exactly what makes tree sizes grow. A graph without sharing
 * sums to at most (objects &times; depth), about 10,000 for a list of 10,000 strings.
 *
 * <p>It can: the stream names every handle it uses (a back-reference is the 4-byte handle number,
 * handles are assigned in stream order), which {@link java.io.ObjectInputFilter} cannot see.
 * It assumes, as the serialization specification does, that a class with a {@code writeObject}
 * method writes its default fields first ({@code defaultWriteObject} or {@code writeFields}): true
 * of every JDK collection. Anything it cannot parse is refused; protocol-1 externalizable data,
 * {@code TC_RESET} and {@code TC_EXCEPTION} never occur in a value written by this serializer.
 */
final class SharingBudget {

	/** About 100 ms of hashing in the worst case; a tree of 1,000,000 objects 20 deep fits. */
	static final long MAX_TOTAL_TREE_SIZE = 20_000_000;

	/** Deeper than {@code maxdepth}, so {@code ObjectInputStream} refuses first and says why. */
	private static final int MAX_NESTING = 200;

	private static final int BASE_HANDLE = 0x7E0000;

	private static final Object LEAF = new Object();

	private final byte[] bytes;

	private int pos;

	private final List<Object> handles = new ArrayList<>();

	private long total;

	private int nesting;

	private SharingBudget(byte[] bytes) {
		this.bytes = bytes;
	}

	/**
	 * @throws IllegalArgumentException when the stream's graph is too expensive to hash, or not
	 * a stream this pass can read
	 */
	static void check(byte[] bytes) {
		SharingBudget pass = new SharingBudget(bytes);
		if (pass.u16() != 0xACED || pass.u16() != 5) {
			throw new IllegalArgumentException("not a Java serialization stream");
		}
		pass.object();
	}

	private long object() {
		if (++this.nesting > MAX_NESTING) {
			throw new IllegalArgumentException("nested more than " + MAX_NESTING + " levels");
		}
		try {
			int tc = u8();
			switch (tc) {
				case 0x70: // TC_NULL
					return 0;
				case 0x71: { // TC_REFERENCE
					Object target = handle();
					return (target instanceof Node node) ? (node.done ? node.size : 1) : 1;
				}
				case 0x74: // TC_STRING
					skip(u16());
					this.handles.add(LEAF);
					return 1;
				case 0x7C: // TC_LONGSTRING
					skip(s64());
					this.handles.add(LEAF);
					return 1;
				case 0x76: // TC_CLASS
					classDesc();
					this.handles.add(LEAF);
					return 1;
				case 0x72: // TC_CLASSDESC
				case 0x7D: // TC_PROXYCLASSDESC
					this.pos--;
					classDesc();
					return 1;
				case 0x7E: // TC_ENUM
					classDesc();
					this.handles.add(LEAF);
					object(); // the constant's name
					return 1;
				case 0x75: // TC_ARRAY
					return array(classDesc());
				case 0x73: // TC_OBJECT
					return ordinary(classDesc());
				default:
					throw new IllegalArgumentException("unexpected type code 0x" + Integer.toHexString(tc));
			}
		}
		finally {
			this.nesting--;
		}
	}

	private long array(@Nullable Desc desc) {
		Node node = new Node();
		this.handles.add(node);
		int length = s32();
		if (length < 0 || desc == null || desc.name.length() < 2 || desc.name.charAt(0) != '[') {
			throw new IllegalArgumentException("malformed array");
		}
		char component = desc.name.charAt(1);
		if (component == 'L' || component == '[') {
			for (int i = 0; i < length; i++) {
				node.add(object());
			}
		}
		else {
			skip((long) length * primitiveSize(component));
		}
		return finish(node);
	}

	private long ordinary(@Nullable Desc desc) {
		if (desc == null) {
			throw new IllegalArgumentException("object without a class");
		}
		Node node = new Node();
		this.handles.add(node);
		List<Desc> hierarchy = new ArrayList<>();
		for (Desc d = desc; d != null; d = d.superDesc) {
			hierarchy.add(0, d);
		}
		for (Desc d : hierarchy) {
			if ((d.flags & 0x04) != 0) { // SC_EXTERNALIZABLE
				if ((d.flags & 0x08) == 0) { // without SC_BLOCK_DATA: protocol 1, unparseable
					throw new IllegalArgumentException("externalizable data in protocol 1");
				}
				node.add(annotation());
			}
			else if ((d.flags & 0x02) != 0) { // SC_SERIALIZABLE
				for (char type : d.fieldTypes) {
					if (type == 'L' || type == '[') {
						node.add(object());
					}
					else {
						skip(primitiveSize(type));
					}
				}
				if ((d.flags & 0x01) != 0) { // SC_WRITE_METHOD
					node.add(annotation());
				}
			}
		}
		return finish(node);
	}

	private long finish(Node node) {
		node.add(1);
		node.done = true;
		this.total += node.size;
		if (this.total > MAX_TOTAL_TREE_SIZE) {
			throw new IllegalArgumentException("its graph shares objects so much that hashing it would visit more than "
					+ MAX_TOTAL_TREE_SIZE + " nodes");
		}
		return node.size;
	}

	/** Block data and objects up to {@code TC_ENDBLOCKDATA}; answers the objects' tree sizes. */
	private long annotation() {
		long size = 0;
		while (true) {
			int tc = peek();
			if (tc == 0x78) { // TC_ENDBLOCKDATA
				this.pos++;
				return size;
			}
			if (tc == 0x77) { // TC_BLOCKDATA
				this.pos++;
				skip(u8());
			}
			else if (tc == 0x7A) { // TC_BLOCKDATALONG
				this.pos++;
				skip(s32() & 0xFFFFFFFFL);
			}
			else {
				size = Math.min(size + object(), MAX_TOTAL_TREE_SIZE + 1);
			}
		}
	}

	private @Nullable Desc classDesc() {
		// a superclass chain nests too: counted, so no stream can overflow this pass's stack
		if (++this.nesting > MAX_NESTING) {
			throw new IllegalArgumentException("nested more than " + MAX_NESTING + " levels");
		}
		try {
			return classDescBody();
		}
		finally {
			this.nesting--;
		}
	}

	private @Nullable Desc classDescBody() {
		int tc = u8();
		switch (tc) {
			case 0x70: // TC_NULL
				return null;
			case 0x71: { // TC_REFERENCE
				if (handle() instanceof Desc desc) {
					return desc;
				}
				throw new IllegalArgumentException("class descriptor reference to something else");
			}
			case 0x72: { // TC_CLASSDESC
				String name = utf();
				skip(8); // serialVersionUID
				Desc desc = new Desc(name);
				this.handles.add(desc); // assigned before the field types are read
				desc.flags = u8();
				int fields = u16();
				desc.fieldTypes = new char[fields];
				for (int i = 0; i < fields; i++) {
					char type = (char) u8();
					utf(); // field name
					if (type == 'L' || type == '[') {
						object(); // the field's type name, a string or a reference to one
					}
					else {
						primitiveSize(type);
					}
					desc.fieldTypes[i] = type;
				}
				annotation();
				desc.superDesc = classDesc();
				return desc;
			}
			case 0x7D: { // TC_PROXYCLASSDESC
				Desc desc = new Desc("proxy");
				this.handles.add(desc);
				desc.flags = 0x02;
				desc.fieldTypes = new char[0];
				int interfaces = s32();
				for (int i = 0; i < interfaces; i++) {
					utf();
				}
				annotation();
				desc.superDesc = classDesc();
				return desc;
			}
			default:
				throw new IllegalArgumentException("unexpected class descriptor code 0x" + Integer.toHexString(tc));
		}
	}

	private Object handle() {
		int index = s32() - BASE_HANDLE;
		if (index < 0 || index >= this.handles.size()) {
			throw new IllegalArgumentException("invalid handle");
		}
		return this.handles.get(index);
	}

	private static int primitiveSize(char type) {
		switch (type) {
			case 'B':
			case 'Z':
				return 1;
			case 'C':
			case 'S':
				return 2;
			case 'I':
			case 'F':
				return 4;
			case 'J':
			case 'D':
				return 8;
			default:
				throw new IllegalArgumentException("unknown field type " + type);
		}
	}

	private String utf() {
		int length = u16();
		need(length);
		// field and class names only: their text does not matter here, a rough decoding will do
		String text = new String(this.bytes, this.pos, length, java.nio.charset.StandardCharsets.UTF_8);
		this.pos += length;
		return text;
	}

	private int peek() {
		need(1);
		return this.bytes[this.pos] & 0xFF;
	}

	private int u8() {
		need(1);
		return this.bytes[this.pos++] & 0xFF;
	}

	private int u16() {
		return (u8() << 8) | u8();
	}

	private int s32() {
		return (u16() << 16) | u16();
	}

	private long s64() {
		return ((long) s32() << 32) | (s32() & 0xFFFFFFFFL);
	}

	private void skip(long count) {
		if (count < 0) {
			throw new IllegalArgumentException("negative length");
		}
		need(count);
		this.pos += (int) count;
	}

	private void need(long count) {
		if (count > this.bytes.length - this.pos) {
			throw new IllegalArgumentException("truncated stream");
		}
	}

	private static final class Desc {

		final String name;

		int flags;

		char[] fieldTypes = new char[0];

		@Nullable Desc superDesc;

		Desc(String name) {
			this.name = name;
		}

	}

	private static final class Node {

		long size;

		boolean done;

		void add(long childSize) {
			this.size = Math.min(this.size + childSize, MAX_TOTAL_TREE_SIZE + 1);
		}

	}

}
