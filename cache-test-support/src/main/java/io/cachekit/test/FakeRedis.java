package io.cachekit.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny RESP2 server on a free loopback port that answers the commands a client needs to connect
 * and to check its connection ({@code HELLO} is refused, so the client falls back to RESP2;
 * {@code CLIENT ...}, {@code SELECT}, {@code PING}, {@code ECHO}, {@code QUIT} as Redis does) and
 * answers data commands either correctly, from a small in-memory store ({@code GET}, {@code SET}
 * with {@code PX}/{@code NX}, {@code MGET}, {@code UNLINK}/{@code DEL}, {@code EXISTS},
 * {@code EVALSHA}/{@code EVAL} as the counter or batch-set script of a cache client), or with a
 * reply of a {@linkplain Shape wrong shape}, per command or for all of them, or with RESP a test
 * writes itself ({@link #answerRaw}).
 * <p>
 * For tests of what a client does with replies Redis would never send. Replies are written in
 * command order on each connection, so a client's connection checks stay in step. Bounded: at most
 * {@value #MAX_CONNECTIONS} connections at a time (more are closed at once), commands of at most
 * 1 MiB, and {@link #close()} ends every thread.
 */
public final class FakeRedis implements AutoCloseable {

	/** The most connections served at once. */
	public static final int MAX_CONNECTIONS = 16;

	private static final int MAX_BULK = 1 << 20;

	private static final int MAX_ARGS = 10_000;

	/** A reply of a fixed shape, whatever the command. */
	public enum Shape {

		/** {@code :7} */
		INTEGER(":7\r\n"),

		/** {@code $-1} (nil) */
		NULL_BULK("$-1\r\n"),

		/** {@code -ERR fake failure} */
		ERROR("-ERR fake failure\r\n"),

		/** {@code +QUEUED} (a status where a number or a value is expected) */
		STATUS("+QUEUED\r\n"),

		/** {@code *2 "a" "b"} (an array where a value or a number is expected) */
		ARRAY("*2\r\n$1\r\na\r\n$1\r\nb\r\n"),

		/** {@code "hello"} (a value where a number or a status is expected) */
		BULK("$5\r\nhello\r\n");

		private final byte[] bytes;

		Shape(String reply) {
			this.bytes = reply.getBytes(StandardCharsets.US_ASCII);
		}

	}

	private static final Set<String> CONNECTION_COMMANDS = Set.of("HELLO", "CLIENT", "SELECT", "PING", "ECHO", "QUIT",
			"AUTH", "READONLY");

	private final ServerSocket server;

	private final Map<String, byte[]> store = new ConcurrentHashMap<>();

	private final Map<String, Shape> shapes = new ConcurrentHashMap<>();

	private final Map<String, byte[]> rawReplies = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private volatile Shape allShape;

	private volatile boolean silent;

	private volatile boolean closed;

	private FakeRedis() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }));
		startThread("cachekit-fake-redis-" + port() + "-accept", this::acceptLoop);
	}

	/** Starts a server answering every command correctly. */
	public static FakeRedis start() {
		try {
			return new FakeRedis();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not listen on a loopback port", ex);
		}
	}

	/** Answers {@code command} (a data command, as sent: {@code GET}, {@code EVALSHA}, ...) with {@code shape}. */
	public FakeRedis answer(String command, Shape shape) {
		this.shapes.put(command.toUpperCase(Locale.ROOT), Objects.requireNonNull(shape, "shape"));
		return this;
	}

	/**
	 * Answers {@code command} with {@code reply}, written as given: RESP a test spells out, such as
	 * {@code "$1\r\n7\r\n"} (a lone number where SCAN's {@code [cursor, keys]} is expected).
	 */
	public FakeRedis answerRaw(String command, String reply) {
		this.rawReplies.put(command.toUpperCase(Locale.ROOT), reply.getBytes(StandardCharsets.UTF_8));
		return this;
	}

	/** Answers every data command with {@code shape} (the connection commands stay correct). */
	public FakeRedis answerAll(Shape shape) {
		this.allShape = Objects.requireNonNull(shape, "shape");
		return this;
	}

	/** Answers every command correctly again (the store is kept). */
	public FakeRedis correct() {
		this.shapes.clear();
		this.rawReplies.clear();
		this.allShape = null;
		return this;
	}

	/**
	 * While {@code true}, reads every command on every connection, new ones included, and answers none
	 * (a hung server); when set back, answers the commands that arrive from then on.
	 */
	public FakeRedis silent(boolean silent) {
		this.silent = silent;
		return this;
	}

	/** Stores a value as {@code SET} would, for the correct answers. */
	public void put(String key, String value) {
		this.store.put(key, value.getBytes(StandardCharsets.UTF_8));
	}

	/** How many times {@code command} was received (answered or not). */
	public long received(String command) {
		AtomicLong count = this.received.get(command.toUpperCase(Locale.ROOT));
		return (count != null) ? count.get() : 0;
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public String url() {
		return "redis://127.0.0.1:" + port();
	}

	/** Closes the server and every connection, and waits (at most about two seconds) for their threads. */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		for (Socket socket : List.copyOf(this.sockets)) {
			closeQuietly(socket);
		}
		long deadline = System.nanoTime() + 2_000_000_000L;
		for (Thread thread : List.copyOf(this.threads)) {
			long left = (deadline - System.nanoTime()) / 1_000_000;
			if (left <= 0) {
				break;
			}
			try {
				thread.join(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public String toString() {
		return "FakeRedis " + url();
	}

	private void acceptLoop() {
		AtomicLong accepted = new AtomicLong();
		while (!this.closed) {
			Socket socket;
			try {
				socket = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.sockets.size() >= MAX_CONNECTIONS || this.closed) {
				closeQuietly(socket);
				continue;
			}
			this.sockets.add(socket);
			startThread("cachekit-fake-redis-" + port() + "-" + accepted.incrementAndGet(), () -> serve(socket));
		}
	}

	private void serve(Socket socket) {
		try {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream replies = new ByteArrayOutputStream();
			while (!this.closed) {
				List<byte[]> command = readCommand(in);
				if (command == null) {
					return;
				}
				if (command.isEmpty()) {
					continue;
				}
				String name = new String(command.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
				this.received.computeIfAbsent(name, (n) -> new AtomicLong()).incrementAndGet();
				if (this.silent) {
					continue;
				}
				replies.reset();
				answer(name, command, replies);
				replies.writeTo(out);
				if (in.available() == 0) {
					out.flush();
				}
				if (name.equals("QUIT")) {
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the client went away, or sent what this server does not parse: close
		}
		finally {
			this.sockets.remove(socket);
			closeQuietly(socket);
		}
	}

	private void answer(String name, List<byte[]> command, ByteArrayOutputStream out) throws IOException {
		if (CONNECTION_COMMANDS.contains(name)) {
			switch (name) {
				case "HELLO" -> error(out, "ERR unknown command 'HELLO'");
				case "PING" -> status(out, (command.size() > 1) ? string(command.get(1)) : "PONG");
				case "ECHO" -> bulk(out, (command.size() > 1) ? command.get(1) : null);
				default -> status(out, "OK");
			}
			return;
		}
		byte[] raw = this.rawReplies.get(name);
		if (raw != null) {
			out.write(raw);
			return;
		}
		Shape shape = this.shapes.getOrDefault(name, this.allShape);
		if (shape != null) {
			out.write(shape.bytes);
			return;
		}
		switch (name) {
			case "GET" -> bulk(out, this.store.get(string(command.get(1))));
			case "SET" -> set(command, out);
			case "MGET" -> {
				array(out, command.size() - 1);
				for (int i = 1; i < command.size(); i++) {
					bulk(out, this.store.get(string(command.get(i))));
				}
			}
			case "UNLINK", "DEL" -> {
				long removed = 0;
				for (int i = 1; i < command.size(); i++) {
					removed += (this.store.remove(string(command.get(i))) != null) ? 1 : 0;
				}
				integer(out, removed);
			}
			case "EXISTS" -> {
				long found = 0;
				for (int i = 1; i < command.size(); i++) {
					found += this.store.containsKey(string(command.get(i))) ? 1 : 0;
				}
				integer(out, found);
			}
			case "EVALSHA", "EVAL" -> script(command, out);
			default -> error(out, "ERR unknown command '" + name + "' (FakeRedis)");
		}
	}

	private void set(List<byte[]> command, ByteArrayOutputStream out) throws IOException {
		String key = string(command.get(1));
		boolean nx = false;
		for (int i = 3; i < command.size(); i++) {
			nx |= string(command.get(i)).equalsIgnoreCase("NX");
		}
		if (nx && this.store.putIfAbsent(key, command.get(2)) != null) {
			bulk(out, null);
			return;
		}
		this.store.put(key, command.get(2));
		status(out, "OK");
	}

	/**
	 * The two scripts of a cache client, told apart by their arguments: one key and three values
	 * (initial, amount, TTL) is a counter; otherwise a TTL and one value per key, all set.
	 */
	private void script(List<byte[]> command, ByteArrayOutputStream out) throws IOException {
		int keys = Integer.parseInt(string(command.get(2)));
		int argv = command.size() - 3 - keys;
		if (keys == 1 && argv == 3) {
			String key = string(command.get(3));
			long initial = Long.parseLong(string(command.get(4)));
			long amount = Long.parseLong(string(command.get(5)));
			byte[] now = this.store.compute(key, (k, old) -> {
				long value = ((old != null) ? Long.parseLong(new String(old, StandardCharsets.US_ASCII)) : initial) + amount;
				return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
			});
			integer(out, Long.parseLong(new String(now, StandardCharsets.US_ASCII)));
			return;
		}
		for (int i = 0; i < keys; i++) {
			this.store.put(string(command.get(3 + i)), command.get(3 + keys + 1 + i));
		}
		integer(out, keys);
	}

	/** Reads one command: an array of bulk strings, or an inline command; {@code null} at end of stream. */
	private static List<byte[]> readCommand(InputStream in) throws IOException {
		int first = in.read();
		if (first == -1) {
			return null;
		}
		if (first != '*') {
			String line = ((char) first) + readLine(in);
			List<byte[]> parts = new ArrayList<>();
			for (String part : line.trim().split("\\s+")) {
				if (!part.isEmpty()) {
					parts.add(part.getBytes(StandardCharsets.UTF_8));
				}
			}
			return parts;
		}
		int count = Integer.parseInt(readLine(in));
		if (count > MAX_ARGS) {
			throw new IOException("too many arguments: " + count);
		}
		List<byte[]> args = new ArrayList<>(Math.max(count, 0));
		for (int i = 0; i < count; i++) {
			if (in.read() != '$') {
				throw new IOException("expected a bulk string");
			}
			int length = Integer.parseInt(readLine(in));
			if (length < 0 || length > MAX_BULK) {
				throw new IOException("bad bulk length " + length);
			}
			byte[] data = in.readNBytes(length);
			if (data.length < length) {
				throw new EOFException();
			}
			readLine(in);
			args.add(data);
		}
		return args;
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1) {
			if (c == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			if (line.length() > 1024) {
				throw new IOException("line too long");
			}
			line.append((char) c);
		}
		throw new EOFException();
	}

	private static String string(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static void status(ByteArrayOutputStream out, String status) {
		out.writeBytes(("+" + status + "\r\n").getBytes(StandardCharsets.UTF_8));
	}

	private static void error(ByteArrayOutputStream out, String message) {
		out.writeBytes(("-" + message + "\r\n").getBytes(StandardCharsets.UTF_8));
	}

	private static void integer(ByteArrayOutputStream out, long value) {
		out.writeBytes((":" + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
	}

	private static void array(ByteArrayOutputStream out, int count) {
		out.writeBytes(("*" + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
	}

	private static void bulk(ByteArrayOutputStream out, byte[] value) {
		if (value == null) {
			out.writeBytes("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
			return;
		}
		out.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(value);
		out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
	}

	private void startThread(String name, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				this.threads.remove(Thread.currentThread());
			}
		}, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

}
