package io.cachekit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Where the reply framer says each RESP2/RESP3 frame ends, and its type, whole or fed in pieces. */
class RespReplyFramerTest {

	private static final String INVALIDATE = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nk:1\r\n";

	@Test
	void simpleBlobAndNullRepliesEachEndAFrame() {
		String stream = "+OK\r\n$5\r\nhello\r\n$-1\r\n:42\r\n-ERR x\r\n_\r\n#t\r\n,1.5\r\n(123\r\n*-1\r\n";
		for (int chunk : new int[] { stream.length(), 1, 3 }) {
			assertThat(frames(stream, chunk)).containsExactly("+OK\r\n", "$5\r\nhello\r\n", "$-1\r\n", ":42\r\n",
					"-ERR x\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(123\r\n", "*-1\r\n");
		}
	}

	@Test
	void blobsMayHoldCrLfAndTypeBytes() {
		String blob = "$8\r\n>1\r\n*2\r\n\r\n";
		String verbatim = "=9\r\ntxt:a\r\n>b\r\n";
		assertThat(frames(blob + verbatim + "+OK\r\n", 2)).containsExactly(blob, verbatim, "+OK\r\n");
	}

	@Test
	void nestedAggregatesMapsAndSetsAreOneFrame() {
		String nested = "*2\r\n*2\r\n:1\r\n$1\r\na\r\n%1\r\n+k\r\n~2\r\n:1\r\n:2\r\n";
		String empty = "*0\r\n";
		String emptyMap = "%0\r\n";
		assertThat(frames(nested + empty + emptyMap + "+OK\r\n", 1)).containsExactly(nested, empty, emptyMap, "+OK\r\n");
	}

	@Test
	void aPushIsItsOwnFrameOfTypePushBetweenReplies() {
		String stream = "$1\r\nv\r\n" + INVALIDATE + "+OK\r\n";
		RespReplyFramer framer = new RespReplyFramer();
		List<Character> types = new ArrayList<>();
		List<String> frames = frames(framer, stream, 4, types);
		assertThat(frames).containsExactly("$1\r\nv\r\n", INVALIDATE, "+OK\r\n");
		assertThat(types).containsExactly('$', '>', '+');
	}

	@Test
	void anAttributeBelongsToTheFrameOfTheValueItPrecedes() {
		String attributed = "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039\r\n:9543\r\n";
		String insideArray = "*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n";
		List<Character> types = new ArrayList<>();
		assertThat(frames(new RespReplyFramer(), attributed + insideArray + "+OK\r\n", 1, types))
			.containsExactly(attributed, insideArray, "+OK\r\n");
		assertThat(types).containsExactly('*', '*', '+');
	}

	@Test
	void stopsFramingAtBytesThatAreNotResp() {
		RespReplyFramer framer = new RespReplyFramer();
		byte[] bytes = "+OK\r\n$?\r\n;4\r\nabcd\r\n".getBytes(StandardCharsets.US_ASCII);
		assertThat(framer.next(bytes, 0, bytes.length)).isEqualTo(5);
		assertThat(framer.next(bytes, 5, bytes.length)).isEqualTo(-1);
		assertThat(framer.isFraming()).isFalse();
	}

	private static List<String> frames(String stream, int chunk) {
		return frames(new RespReplyFramer(), stream, chunk, new ArrayList<>());
	}

	/** Feeds {@code stream} in chunks of {@code chunk} bytes and cuts it where the framer says. */
	private static List<String> frames(RespReplyFramer framer, String stream, int chunk, List<Character> types) {
		byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
		List<String> frames = new ArrayList<>();
		int start = 0;
		for (int from = 0; from < bytes.length; from += chunk) {
			int to = Math.min(bytes.length, from + chunk);
			int position = from;
			while (position < to) {
				int end = framer.next(bytes, position, to);
				if (end < 0) {
					break;
				}
				frames.add(new String(bytes, start, end - start, StandardCharsets.US_ASCII));
				types.add((char) framer.frameType());
				start = end;
				position = end;
			}
		}
		assertThat(framer.isFraming()).isTrue();
		assertThat(start).as("every byte framed").isEqualTo(bytes.length);
		return frames;
	}

}
