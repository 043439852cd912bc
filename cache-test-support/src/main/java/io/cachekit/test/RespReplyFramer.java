package io.cachekit.test;

/**
 * Finds where each top-level frame ends in the byte stream Redis sends to a client (RESP2 and
 * RESP3), fed incrementally (many frames in one read, or one frame over many reads), and tells what
 * type the frame was, so that a {@link FaultProxy} can drop one push frame ({@code >}) whole.
 * <p>
 * It follows the RESP3 specification: simple types end at CRLF ({@code + - : _ # , ( }); blob types
 * ({@code $ ! =}) carry a length and are skipped by count, never scanned; aggregates
 * ({@code * % ~ >}) carry a count of elements (a map {@code %} twice as many), nested to any depth;
 * an attribute ({@code |}) is a map that precedes a value and is part of that value's frame. Null
 * lengths ({@code $-1}, {@code *-1}) are complete values. At the first byte that does not parse
 * (a streamed {@code ?} length, an unknown type byte, a replica's RDB payload) it stops framing for
 * good ({@link #isFraming()} turns {@code false}): the rest is forwarded as it comes, nothing more
 * is dropped. One instance per connection; not thread-safe.
 */
final class RespReplyFramer {

	/** Deeper nesting than any reply Redis makes; past it the stream is treated as not RESP. */
	private static final int MAX_DEPTH = 64;

	private enum State {

		TYPE, LINE, LINE_LF, LENGTH, LENGTH_LF, BLOB, UNFRAMED

	}

	private State state = State.TYPE;

	/** The type byte of the value being read now. */
	private byte type;

	/** The type byte of the current top-level frame (its first value that is not an attribute). */
	private byte frameType;

	private long number;

	private int digits;

	private boolean negative;

	private long blobLeft;

	/** Elements still to come of each open aggregate, outermost first. */
	private final long[] left = new long[MAX_DEPTH];

	/** Whether each open aggregate is an attribute (which is not a value of its parent). */
	private final boolean[] attribute = new boolean[MAX_DEPTH];

	private int depth;

	/**
	 * Consumes {@code bytes[from..to)} up to and including the end of the first top-level frame that
	 * completes there.
	 * @return the index just past that frame's last byte, or {@code -1} when every byte was consumed
	 *     without completing a frame
	 */
	int next(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			if (this.state == State.UNFRAMED) {
				return -1;
			}
			if (this.state == State.BLOB) {
				int skip = (int) Math.min(this.blobLeft, to - i);
				i += skip;
				this.blobLeft -= skip;
				if (this.blobLeft == 0 && valueDone()) {
					return i;
				}
				continue;
			}
			if (step(bytes[i++])) {
				return i;
			}
		}
		return -1;
	}

	/** Whether the stream still parses; once {@code false}, it stays so. */
	boolean isFraming() {
		return this.state != State.UNFRAMED;
	}

	/**
	 * The type byte of the frame that {@link #next} completed last (or is reading now): {@code '>'}
	 * for a push.
	 */
	byte frameType() {
		return this.frameType;
	}

	private boolean step(byte b) {
		switch (this.state) {
			case TYPE -> startValue(b);
			case LINE -> {
				if (b == '\r') {
					this.state = State.LINE_LF;
				}
			}
			case LINE_LF -> {
				if (b != '\n') {
					this.state = State.UNFRAMED;
				}
				else {
					return valueDone();
				}
			}
			case LENGTH -> readLengthByte(b);
			case LENGTH_LF -> {
				if (b != '\n' || this.digits == 0) {
					this.state = State.UNFRAMED;
				}
				else {
					return lengthRead(this.negative ? -this.number : this.number);
				}
			}
			default -> throw new IllegalStateException(this.state.name());
		}
		return false;
	}

	private void startValue(byte b) {
		this.type = b;
		if (this.depth == 0 && b != '|') {
			this.frameType = b;
		}
		switch (b) {
			case '+', '-', ':', '_', '#', ',', '(' -> this.state = State.LINE;
			case '$', '!', '=', '*', '%', '~', '>', '|' -> {
				this.state = State.LENGTH;
				this.number = 0;
				this.digits = 0;
				this.negative = false;
			}
			default -> this.state = State.UNFRAMED;
		}
	}

	private void readLengthByte(byte b) {
		if (b == '-' && this.digits == 0 && !this.negative) {
			this.negative = true;
		}
		else if (b >= '0' && b <= '9' && this.digits < 10) {
			this.number = this.number * 10 + (b - '0');
			this.digits++;
		}
		else if (b == '\r') {
			this.state = State.LENGTH_LF;
		}
		else {
			this.state = State.UNFRAMED; // a streamed length ('?') or garbage
		}
	}

	/** A complete length line: answers whether it completed a top-level frame. */
	private boolean lengthRead(long length) {
		boolean blob = this.type == '$' || this.type == '!' || this.type == '=';
		if (length < 0) {
			if (length != -1 || !(this.type == '$' || this.type == '*')) {
				this.state = State.UNFRAMED;
				return false;
			}
			return valueDone(); // RESP2 null bulk string or null array
		}
		if (blob) {
			if (length > Integer.MAX_VALUE) {
				this.state = State.UNFRAMED;
				return false;
			}
			this.blobLeft = length + 2;
			this.state = State.BLOB;
			return false;
		}
		long elements = (this.type == '%' || this.type == '|') ? length * 2 : length;
		if (elements == 0) {
			if (this.type == '|') {
				this.state = State.TYPE; // an empty attribute: the value it precedes follows
				return false;
			}
			return valueDone();
		}
		if (this.depth == MAX_DEPTH) {
			this.state = State.UNFRAMED;
			return false;
		}
		this.left[this.depth] = elements;
		this.attribute[this.depth] = this.type == '|';
		this.depth++;
		this.state = State.TYPE;
		return false;
	}

	/**
	 * A value is complete: counts it in its aggregate, closing every aggregate it completes.
	 * @return whether a top-level frame is complete
	 */
	private boolean valueDone() {
		this.state = State.TYPE;
		while (this.depth > 0) {
			int top = this.depth - 1;
			if (--this.left[top] > 0) {
				return false;
			}
			this.depth--;
			if (this.attribute[top]) {
				return false; // an attribute is not a value: the one it precedes comes next
			}
		}
		return true;
	}

}
