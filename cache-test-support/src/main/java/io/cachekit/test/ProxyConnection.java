package io.cachekit.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection through a {@link FaultProxy} and its connection to Redis: a thread per
 * direction. Client bytes go through a {@link RespCommandFramer} and are forwarded a complete
 * command at a time (an unfinished command waits for its rest), so that one command can be
 * dropped whole; Redis' bytes likewise through a {@link RespReplyFramer}, a complete frame at a
 * time, so that one push frame can be dropped whole. A replica's or a Sentinel's connection is
 * never dropped from, and once recognised its replies are forwarded as read (a replica's RDB
 * payload is not RESP).
 */
final class ProxyConnection {

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private final FaultProxy proxy;

	private final Socket client;

	private final Socket upstream = new Socket();

	private final String name;

	/** Directions still pumping: the connection closes when both have ended. */
	private final AtomicInteger pumping = new AtomicInteger(2);

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile boolean stalled;

	/** A replica's replication link or a Sentinel's connection: not a client under test. */
	private volatile boolean infrastructure;

	ProxyConnection(FaultProxy proxy, Socket client, String name) {
		this.proxy = proxy;
		this.client = client;
		this.name = name;
	}

	void start() {
		this.proxy.startThread(this.name + "-up", this::connectAndPump);
	}

	void stall(boolean stall) {
		this.stalled = stall;
	}

	private void connectAndPump() {
		try {
			this.client.setTcpNoDelay(true);
			this.upstream.setTcpNoDelay(true);
			this.upstream.connect(this.proxy.target(), CONNECT_TIMEOUT_MILLIS);
		}
		catch (IOException ex) {
			close(true); // as a client sees a Redis that is not there behind a firewall that resets
			return;
		}
		this.proxy.startThread(this.name + "-down", () -> pump(this.upstream, this.client, false));
		pump(this.client, this.upstream, true);
	}

	private boolean discarding() {
		return this.proxy.discards(this.stalled);
	}

	/** Copies {@code from} to {@code to} until either fails, a command or a reply frame at a time. */
	private void pump(Socket from, Socket to, boolean commands) {
		byte[] buffer = new byte[16 * 1024];
		ByteArrayOutputStream pending = new ByteArrayOutputStream();
		ByteArrayOutputStream forward = new ByteArrayOutputStream();
		RespCommandFramer commandFramer = commands ? new RespCommandFramer() : null;
		RespReplyFramer replyFramer = commands ? null : new RespReplyFramer();
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				long readAt = System.nanoTime();
				boolean discard = discarding();
				if (commandFramer != null) {
					frame(commandFramer, buffer, read, pending, discard ? null : forward);
				}
				else if (!this.infrastructure) {
					frameReplies(replyFramer, buffer, read, pending, discard ? null : forward);
				}
				else {
					if (!discard) {
						pending.writeTo(forward); // what was held when the connection was recognised
						forward.write(buffer, 0, read);
					}
					pending.reset();
				}
				if (forward.size() > 0) {
					this.proxy.awaitLatency(readAt);
					if (!discarding()) {
						forward.writeTo(out);
						out.flush();
					}
					forward.reset();
				}
			}
		}
		catch (IOException ex) {
			// reset or closed: ends this direction like an end of stream
		}
		catch (InterruptedException ex) {
			close(true); // the proxy is closing
			return;
		}
		// A dead peer sends no FIN: while discarding, the other direction stays open.
		if (this.pumping.decrementAndGet() == 0 || !discarding()) {
			close(false);
		}
	}

	/**
	 * Moves the complete commands in {@code buffer[0..length)} to {@code forward} (none when it is
	 * {@code null}: discarding), less any the proxy drops; an unfinished one stays in {@code command}.
	 */
	private void frame(RespCommandFramer framer, byte[] buffer, int length, ByteArrayOutputStream command,
			ByteArrayOutputStream forward) throws IOException {
		int position = 0;
		while (position < length) {
			int end = framer.next(buffer, position, length);
			command.write(buffer, position, ((end < 0) ? length : end) - position);
			if (end < 0) {
				break;
			}
			if (!this.infrastructure && isInfrastructure(command)) {
				this.infrastructure = true; // before it is forwarded: its replies are not framed
			}
			if (forward != null && (this.infrastructure || !this.proxy.takeDrop())) {
				command.writeTo(forward);
			}
			command.reset();
			position = end;
		}
		if (!framer.isFraming()) {
			// not RESP any more: Redis will answer with a protocol error and close; nothing to drop
			if (forward != null) {
				command.writeTo(forward);
			}
			command.reset();
		}
	}

	/**
	 * Moves the complete frames in {@code buffer[0..length)} to {@code forward} (none when it is
	 * {@code null}: discarding), less a push frame the proxy drops; an unfinished one stays in
	 * {@code frame}.
	 */
	private void frameReplies(RespReplyFramer framer, byte[] buffer, int length, ByteArrayOutputStream frame,
			ByteArrayOutputStream forward) {
		int position = 0;
		while (position < length) {
			int end = framer.next(buffer, position, length);
			frame.write(buffer, position, ((end < 0) ? length : end) - position);
			if (end < 0) {
				break;
			}
			boolean drop = framer.frameType() == '>' && this.proxy.takePushDrop(frame.toByteArray(), frame.size());
			if (forward != null && !drop) {
				forward.write(frame.toByteArray(), 0, frame.size());
			}
			frame.reset();
			position = end;
		}
		if (!framer.isFraming()) {
			// not RESP as far as the framer can tell: forwarded as it comes, nothing dropped
			if (forward != null) {
				forward.write(frame.toByteArray(), 0, frame.size());
			}
			frame.reset();
		}
	}

	/**
	 * Whether a complete command shows its connection is a replica's replication link or a
	 * Sentinel's own ({@code CLIENT SETNAME sentinel-<id>-cmd}): its name and first argument are
	 * enough.
	 */
	private static boolean isInfrastructure(ByteArrayOutputStream command) {
		byte[] bytes = command.toByteArray();
		String head = new String(bytes, 0, Math.min(bytes.length, 96), StandardCharsets.ISO_8859_1)
			.toUpperCase(Locale.ROOT);
		return head.contains("\r\nPSYNC\r\n") || head.contains("\r\nSYNC\r\n") || head.contains("\r\nREPLCONF\r\n")
				|| (head.contains("\r\nSETNAME\r\n") && head.contains("\r\nSENTINEL-"));
	}

	/** Closes both sockets once, with a reset or a plain close. */
	void close(boolean reset) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.proxy.closed(this);
		for (Socket socket : new Socket[] { this.client, this.upstream }) {
			try {
				if (reset && !socket.isClosed()) {
					socket.setSoLinger(true, 0);
				}
				socket.close();
			}
			catch (IOException ignored) {
				// closing anyway
			}
		}
	}

}
