package io.cachekit.test;

/**
 * Finds where each command ends in the byte stream a client sends to Redis, fed incrementally
 * (many pipelined commands in one read, or one command over many reads). It follows Redis' own
 * request parser: a command is either an array of bulk strings ({@code *N\r\n$len\r\n...\r\n}) or,
 * when the first byte is not {@code *}, an inline command that ends at {@code \n}.
 * <p>
 * It is conservative: bytes Redis answers nothing for (blank lines, {@code *0} and {@code *-1}
 * headers) do not end a command but belong to the next one, and at the first malformed byte it
 * stops framing for good ({@link #isFraming()} turns {@code false}), because Redis would answer
 * with a protocol error and close the connection: nothing after that point is a command to drop.
 * One instance per connection; not thread-safe.
 */
final class RespCommandFramer {

	/** Redis' own limit for an inline command without a newline. */
	static final int INLINE_LIMIT = 64 * 1024;

	private enum State {

		START, INLINE, ARRAY_LENGTH, BULK_MARKER, BULK_LENGTH, LENGTH_LF, BULK_DATA, UNFRAMED

	}

	private State state = State.START;

	/** Whether the length being read (or its LF) is an array's, not a bulk string's. */
	private boolean arrayLength;

	private long number;

	private int digits;

	private boolean negative;

	private long argumentsLeft;

	private long bulkLeft;

	private int inlineLength;

	/**
	 * Consumes {@code bytes[from..to)} up to and including the end of the first command that
	 * completes there.
	 * @return the index just past that command's last byte, or {@code -1} when every byte was
	 *     consumed without completing a command
	 */
	int next(byte[] bytes, int from, int to) {
		int i = from;
		while (i < to) {
			if (this.state == State.UNFRAMED) {
				return -1;
			}
			if (this.state == State.BULK_DATA) {
				// payload and its CRLF: skipped by count, as Redis does, never scanned
				int skip = (int) Math.min(this.bulkLeft, to - i);
				i += skip;
				this.bulkLeft -= skip;
				if (this.bulkLeft == 0 && endOfArgument()) {
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

	private boolean step(byte b) {
		switch (this.state) {
			case START -> {
				if (b == '*') {
					startLength(true);
				}
				else if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
					this.state = State.INLINE;
					this.inlineLength = 1;
				}
			}
			case INLINE -> {
				if (b == '\n') {
					this.state = State.START;
					return true;
				}
				if (++this.inlineLength > INLINE_LIMIT) {
					this.state = State.UNFRAMED;
				}
			}
			case BULK_MARKER -> {
				if (b == '$') {
					startLength(false);
				}
				else {
					this.state = State.UNFRAMED;
				}
			}
			case ARRAY_LENGTH, BULK_LENGTH -> readLengthByte(b);
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

	private void startLength(boolean array) {
		this.arrayLength = array;
		this.state = array ? State.ARRAY_LENGTH : State.BULK_LENGTH;
		this.number = 0;
		this.digits = 0;
		this.negative = false;
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
			this.state = State.UNFRAMED;
		}
	}

	/** A complete length line: returns whether it completed a command (never: that needs data). */
	private boolean lengthRead(long length) {
		if (this.arrayLength) {
			// *0 and *-1 make Redis reset silently: no command, no reply
			this.argumentsLeft = length;
			this.state = (length > 0) ? State.BULK_MARKER : State.START;
		}
		else if (length < 0 || length > Integer.MAX_VALUE) {
			this.state = State.UNFRAMED; // Redis: "invalid bulk length"
		}
		else {
			this.bulkLeft = length + 2;
			this.state = State.BULK_DATA;
		}
		return false;
	}

	private boolean endOfArgument() {
		if (--this.argumentsLeft == 0) {
			this.state = State.START;
			return true;
		}
		this.state = State.BULK_MARKER;
		return false;
	}

}
