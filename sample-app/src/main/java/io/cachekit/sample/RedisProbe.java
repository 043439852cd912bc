package io.cachekit.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What one PING finds at a Redis address. The sample tells "nothing listens" (safe to replace with
 * a server of its own) from "something listens but is silent" (a Redis that is stuck, paused or
 * behind a dropping firewall, which must not be swapped silently for an empty one).
 */
enum RedisProbe {

	/** A Redis answered (an error reply counts: it is a Redis, perhaps one that wants a password). */
	ANSWERS,

	/** The connection was refused: nothing listens there. */
	NOTHING_LISTENS,

	/** Something accepted the connection but did not answer PING like a Redis in time. */
	SILENT,

	/** No connection within the timeout, and no refusal either (a dropping firewall, no route, an unknown host). */
	UNREACHABLE;

	/** Connects to {@code host:port} and sends PING, each step bounded by {@code timeout}. */
	static RedisProbe probe(String host, int port, Duration timeout) {
		int millis = (int) Math.max(1, timeout.toMillis());
		try (Socket socket = new Socket()) {
			try {
				socket.connect(new InetSocketAddress(host, port), millis);
			}
			catch (ConnectException ex) {
				return NOTHING_LISTENS;
			}
			catch (IOException ex) {
				return UNREACHABLE;
			}
			socket.setSoTimeout(millis);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			int first = socket.getInputStream().read();
			return (first == '+' || first == '-') ? ANSWERS : SILENT;
		}
		catch (IOException ex) {
			return SILENT; // accepted, then timed out or reset before answering
		}
	}

}
