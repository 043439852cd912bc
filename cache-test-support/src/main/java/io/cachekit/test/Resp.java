package io.cachekit.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately tiny RESP2 client used only to administer test servers (wait for start-up,
 * build clusters, shut servers down). It keeps test support free of the client under test.
 */
public final class Resp {

	private Resp() {
	}

	/**
	 * Sends one command on a fresh connection and returns the decoded reply: {@code String}
	 * for simple and bulk strings, {@code Long} for integers, {@code List<Object>} for arrays,
	 * {@code null} for nil.
	 * @throws RespErrorException when the server answers with an error reply
	 * @throws UncheckedIOException when the server cannot be reached
	 */
	public static Object call(String host, int port, String... args) {
		return send(host, port, args);
	}

	/**
	 * Same as {@link #call(String, int, String...)} on a connection first authenticated with
	 * {@code AUTH password} (skipped when {@code password} is {@code null}).
	 */
	public static Object callWithAuth(String host, int port, String password, String... args) {
		return (password != null) ? send(host, port, new String[] { "AUTH", password }, args) : send(host, port, args);
	}

	/** Sends the commands on one fresh connection and returns the last one's reply. */
	private static Object send(String host, int port, String[]... commands) {
		String[] last = commands[commands.length - 1];
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			for (String[] command : commands) {
				out.write(encode(command));
			}
			out.flush();
			BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
			Object reply = null;
			for (int i = 0; i < commands.length; i++) {
				reply = read(in);
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis at " + host + ":" + port + " did not answer " + last[0], ex);
		}
	}

	/** Whether a server answers PING at that address. */
	public static boolean pings(String host, int port) {
		try {
			return "PONG".equals(call(host, port, "PING"));
		}
		catch (UncheckedIOException | RespErrorException ex) {
			return false;
		}
	}

	static byte[] encode(String... args) {
		StringBuilder sb = new StringBuilder();
		sb.append('*').append(args.length).append("\r\n");
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
		}
		return sb.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static Object read(InputStream in) throws IOException {
		int type = in.read();
		String line = readLine(in);
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new RespErrorException(line);
			case ':':
				return Long.parseLong(line);
			case '$': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] data = in.readNBytes(length);
				readLine(in);
				return new String(data, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(line);
				if (count < 0) {
					return null;
				}
				List<Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(read(in));
				}
				return items;
			}
			default:
				throw new IOException("Unexpected RESP type byte " + type);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder sb = new StringBuilder();
		int c;
		while ((c = in.read()) != -1) {
			if (c == '\r') {
				in.read();
				break;
			}
			sb.append((char) c);
		}
		return sb.toString();
	}

	/** An error reply from the server. */
	public static final class RespErrorException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		RespErrorException(String message) {
			super(message);
		}

	}

}
