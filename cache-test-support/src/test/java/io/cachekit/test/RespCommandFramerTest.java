package io.cachekit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Where the framer says each client command ends, whole or fed a byte at a time. */
class RespCommandFramerTest {

	private static final String SET_A = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";

	private static final String GET_A = "*2\r\n$3\r\nGET\r\n$1\r\na\r\n";

	@Test
	void pipelinedCommandsInOneReadAreSplitAtTheirEnds() {
		String stream = SET_A + GET_A + "*1\r\n$4\r\nPING\r\n";
		assertThat(commands(stream, stream.length())).containsExactly(SET_A, GET_A, "*1\r\n$4\r\nPING\r\n");
	}

	@Test
	void aCommandFedAByteAtATimeEndsAtItsLastByteOnly() {
		String stream = SET_A + GET_A;
		assertThat(commands(stream, 1)).containsExactly(SET_A, GET_A);
		assertThat(commands(stream, 7)).containsExactly(SET_A, GET_A);
	}

	@Test
	void bulkPayloadsMayHoldCrLfAndStars() {
		String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$8\r\n*1\r\n\r\n$x\r\n";
		assertThat(commands(set + GET_A, 1)).containsExactly(set, GET_A);
		assertThat(commands(set + GET_A, 3)).containsExactly(set, GET_A);
	}

	@Test
	void emptyBulkStringsAreArguments() {
		String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n";
		assertThat(commands(set + GET_A, 1)).containsExactly(set, GET_A);
	}

	@Test
	void inlineCommandsEndAtTheirNewline() {
		String stream = "PING\r\nSET a 1\n" + GET_A;
		assertThat(commands(stream, 1)).containsExactly("PING\r\n", "SET a 1\n", GET_A);
	}

	@Test
	void whatRedisDoesNotAnswerBelongsToTheNextCommand() {
		String stream = "\r\n*0\r\n*-1\r\n  \n" + GET_A;
		assertThat(commands(stream, 1)).containsExactly(stream);
	}

	@Test
	void aMalformedStreamStopsFramingForGood() {
		RespCommandFramer framer = new RespCommandFramer();
		byte[] bad = ("*2\r\n+GET\r\n" + GET_A).getBytes(StandardCharsets.US_ASCII);
		assertThat(framer.next(bad, 0, bad.length)).isEqualTo(-1);
		assertThat(framer.isFraming()).isFalse();
		byte[] good = GET_A.getBytes(StandardCharsets.US_ASCII);
		assertThat(framer.next(good, 0, good.length)).isEqualTo(-1);
	}

	@Test
	void badLengthsStopFraming() {
		for (String bad : List.of("*x\r\n", "*\r\n", "*2\r\n$-1\r\n", "*1\n", "*99999999999\r\n", "*1\r\n$1x\r\n")) {
			RespCommandFramer framer = new RespCommandFramer();
			byte[] bytes = bad.getBytes(StandardCharsets.US_ASCII);
			assertThat(framer.next(bytes, 0, bytes.length)).as(bad).isEqualTo(-1);
			assertThat(framer.isFraming()).as(bad).isFalse();
		}
	}

	@Test
	void anEndlessInlineLineStopsFraming() {
		RespCommandFramer framer = new RespCommandFramer();
		byte[] line = "A".repeat(RespCommandFramer.INLINE_LIMIT + 1).getBytes(StandardCharsets.US_ASCII);
		assertThat(framer.next(line, 0, line.length)).isEqualTo(-1);
		assertThat(framer.isFraming()).isFalse();
	}

	/** The commands the framer finds in {@code stream} when it arrives in reads of {@code chunk} bytes. */
	private static List<String> commands(String stream, int chunk) {
		byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
		RespCommandFramer framer = new RespCommandFramer();
		List<String> commands = new ArrayList<>();
		ByteArrayOutputStream current = new ByteArrayOutputStream();
		for (int start = 0; start < bytes.length; start += chunk) {
			int to = Math.min(start + chunk, bytes.length);
			int position = start;
			while (position < to) {
				int end = framer.next(bytes, position, to);
				current.write(bytes, position, ((end < 0) ? to : end) - position);
				if (end < 0) {
					break;
				}
				commands.add(current.toString(StandardCharsets.US_ASCII));
				current.reset();
				position = end;
			}
		}
		assertThat(framer.isFraming()).isTrue();
		assertThat(current.size()).as("bytes left over").isZero();
		return commands;
	}

}
