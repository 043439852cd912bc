package io.cachekit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A TCP proxy on a free loopback port, between a Redis client and a loopback Redis, that injects
 * the network faults which killing or pausing Redis cannot: a peer that stops answering without
 * closing, one lost command, a half-dead old connection, latency, a reset.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(redis.url())) {
 *     // point the client under test at proxy.url()
 *     proxy.blackhole();
 *     // ... assert what the client sees ...
 *     proxy.pass();
 * }
 * }</pre>
 *
 * Every setting may be changed at any time, with connections open. {@link #pass()},
 * {@link #blackhole()} and {@link #stallExisting()} choose what is forwarded; {@link #latency}
 * holds until changed, whatever the mode; {@link #dropNextCommand()} and {@link #dropNextPush()}
 * are one-shots. A replica's replication link and a Sentinel's own connections (recognised by
 * their {@code PSYNC}/{@code REPLCONF} or {@code CLIENT SETNAME sentinel-...} commands) are never
 * chosen for a drop: a test of a client means the client's command or push. A client
 * connection whose Redis connection cannot be made (within a second) is reset. Each
 * connection takes two daemon threads, named {@code cachekit-fault-proxy-<port>-<n>-up/down};
 * {@link #close()} ends them all within about two seconds.
 */
public final class FaultProxy implements AutoCloseable {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final InetSocketAddress target;

	private final ServerSocket server;

	private final String name;

	private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private final AtomicLong accepted = new AtomicLong();

	private final Object drops = new Object();

	private int dropsPending; // guarded by drops

	private long dropped; // guarded by drops

	/** One entry per push drop asked for: the text the push must contain, or "" for any push. */
	private final Deque<String> pushDropsPending = new ArrayDeque<>(); // guarded by drops

	private long pushesDropped; // guarded by drops

	private volatile boolean blackhole;

	private volatile long latencyNanos;

	private volatile boolean closed;

	private FaultProxy(InetSocketAddress target) throws IOException {
		this.target = target;
		this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }));
		this.name = "cachekit-fault-proxy-" + this.server.getLocalPort();
		startThread(this.name + "-accept", this::acceptLoop);
	}

	/**
	 * Starts a proxy to the Redis of a {@code redis://host:port[/db]} URL.
	 * @throws IllegalArgumentException when the URL has no single host or the host is not loopback
	 */
	public static FaultProxy start(String redisUrl) {
		Objects.requireNonNull(redisUrl, "redisUrl");
		URI uri;
		try {
			uri = URI.create(redisUrl.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("redisUrl '" + redisUrl + "' is not a single-host redis:// URL", ex);
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("redisUrl '" + redisUrl + "' is not a single-host redis:// URL");
		}
		return start(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 6379);
	}

	/**
	 * Starts a proxy to {@code host:port}, listening when this returns.
	 * @param host {@code localhost} or a loopback IP literal; names are not looked up
	 * @throws IllegalArgumentException when {@code host} is not loopback or {@code port} is out of range
	 */
	public static FaultProxy start(String host, int port) {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be 1-65535, was " + port);
		}
		try {
			return new FaultProxy(new InetSocketAddress(loopback(host), port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not listen on a loopback port", ex);
		}
	}

	/** Resolves without a DNS query: only loopback traffic is allowed. */
	private static InetAddress loopback(String host) {
		Objects.requireNonNull(host, "host");
		String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		try {
			InetAddress address = null;
			if ("localhost".equalsIgnoreCase(literal)) {
				address = InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 });
			}
			else if (IPV4.matcher(literal).matches()) {
				int[] parts = Stream.of(literal.split("\\.")).mapToInt(Integer::parseInt).toArray();
				if (IntStream.of(parts).allMatch((part) -> part <= 255)) {
					address = InetAddress.getByAddress(new byte[] { (byte) parts[0], (byte) parts[1], (byte) parts[2],
							(byte) parts[3] });
				}
			}
			else if (literal.contains(":")) {
				address = InetAddress.getByName(literal); // an IPv6 literal is parsed, never looked up
			}
			if (address != null && address.isLoopbackAddress()) {
				return address;
			}
		}
		catch (UnknownHostException ex) {
			// not an address at all: refused below
		}
		throw new IllegalArgumentException(
				"host '" + host + "' is not a loopback address: the fault proxy only forwards to 127.0.0.1, ::1 or localhost");
	}

	/** Forwards every byte both ways, on every connection: ends {@link #blackhole()} and {@link #stallExisting()}. */
	public void pass() {
		this.blackhole = false;
		this.connections.forEach((connection) -> connection.stall(false));
	}

	/**
	 * Discards every byte both ways on every connection, present and future, keeping them open
	 * and still accepting new ones: a dead peer, or a firewall that drops silently. Neither side
	 * sees the other close meanwhile.
	 */
	public void blackhole() {
		this.blackhole = true;
	}

	/**
	 * Discards every byte both ways on the connections open now, keeping them open, while
	 * connections accepted from now on pass (ends {@link #blackhole()}).
	 */
	public void stallExisting() {
		this.blackhole = false;
		this.connections.forEach((connection) -> connection.stall(true));
	}

	/**
	 * Delays every forwarded chunk, both ways, by at least {@code latency} after it was read;
	 * {@link Duration#ZERO} turns it off.
	 */
	public void latency(Duration latency) {
		Objects.requireNonNull(latency, "latency");
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative, was " + latency);
		}
		this.latencyNanos = latency.toNanos();
	}

	/**
	 * Drops the next complete command any client sends that would otherwise be forwarded (each call
	 * one more), forwarding everything else; the connection stays open, so Redis never answers it
	 * and the client's replies shift. A command is held until its last byte has arrived, so it is
	 * dropped whole however it was split.
	 */
	public void dropNextCommand() {
		synchronized (this.drops) {
			this.dropsPending++;
		}
	}

	/** Waits until every command {@link #dropNextCommand()} asked for has been dropped; {@code false} if the timeout came first. */
	public boolean awaitDropped(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drops) {
			while (this.dropsPending > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drops, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/** How many commands have been dropped so far. */
	public long droppedCommands() {
		synchronized (this.drops) {
			return this.dropped;
		}
	}

	/**
	 * Drops the next complete RESP3 push frame ({@code >}, such as a client-side caching
	 * invalidation) Redis sends any client, forwarding everything else (each call one more): the
	 * connection stays open and its replies stay in step, only the push is lost. A frame is held
	 * until its last byte has arrived, so it is dropped whole however it was split.
	 */
	public void dropNextPush() {
		dropNextPush("");
	}

	/**
	 * Drops the next complete push frame whose bytes contain {@code text} (for example an
	 * invalidated key's name), forwarding everything else, other pushes included.
	 * @param text what the push must contain (UTF-8); empty for any push
	 */
	public void dropNextPush(String text) {
		Objects.requireNonNull(text, "text");
		synchronized (this.drops) {
			this.pushDropsPending.add(text);
		}
	}

	/** Waits until every push {@link #dropNextPush()} asked for has been dropped; {@code false} if the timeout came first. */
	public boolean awaitPushDropped(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drops) {
			while (!this.pushDropsPending.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.drops, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Forgets every command and push drop asked for and not yet made, so that a test's leftover
	 * one-shot cannot hit the next test's traffic.
	 */
	public void cancelPendingDrops() {
		synchronized (this.drops) {
			this.dropsPending = 0;
			this.pushDropsPending.clear();
			this.drops.notifyAll();
		}
	}

	/** How many push frames have been dropped so far. */
	public long droppedPushes() {
		synchronized (this.drops) {
			return this.pushesDropped;
		}
	}

	/** Closes every current connection abruptly, both sides, with a reset (SO_LINGER 0) instead of a FIN. */
	public void resetAll() {
		List.copyOf(this.connections).forEach((connection) -> connection.close(true));
	}

	/** How many connections have been accepted since start. */
	public long connectionsAccepted() {
		return this.accepted.get();
	}

	/** How many accepted connections are still open. */
	public int connectionsOpen() {
		return this.connections.size();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** {@code redis://127.0.0.1:<port>}. */
	public String url() {
		return "redis://127.0.0.1:" + port();
	}

	/** Stops listening, resets every connection and waits (at most about two seconds) for its threads to end. */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		resetAll();
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		for (Thread thread : List.copyOf(this.threads)) {
			thread.interrupt();
			long left = deadline - System.nanoTime();
			try {
				if (left > 0) {
					TimeUnit.NANOSECONDS.timedJoin(thread, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public String toString() {
		return "FaultProxy " + url() + " -> " + this.target;
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return; // closed
			}
			ProxyConnection connection = new ProxyConnection(this, client, this.name + "-" + this.accepted.incrementAndGet());
			this.connections.add(connection);
			if (this.closed) {
				connection.close(true);
				return;
			}
			connection.start();
		}
	}

	InetSocketAddress target() {
		return this.target;
	}

	/** Whether bytes are to be discarded now for a connection that is, or is not, stalled. */
	boolean discards(boolean stalled) {
		return this.blackhole || stalled;
	}

	/** Whether this complete command is to be dropped: takes one pending drop if there is one. */
	boolean takeDrop() {
		synchronized (this.drops) {
			if (this.dropsPending == 0) {
				return false;
			}
			this.dropsPending--;
			this.dropped++;
			this.drops.notifyAll();
			return true;
		}
	}

	/** Whether this complete push frame is to be dropped: takes the first pending push drop it matches. */
	boolean takePushDrop(byte[] frame, int length) {
		synchronized (this.drops) {
			if (this.pushDropsPending.isEmpty()) {
				return false;
			}
			String text = null;
			for (String wanted : this.pushDropsPending) {
				if (wanted.isEmpty() || contains(frame, length, wanted)) {
					text = wanted;
					break;
				}
			}
			if (text == null) {
				return false;
			}
			this.pushDropsPending.removeFirstOccurrence(text);
			this.pushesDropped++;
			this.drops.notifyAll();
			return true;
		}
	}

	private static boolean contains(byte[] frame, int length, String text) {
		byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
		outer: for (int i = 0; i + wanted.length <= length; i++) {
			for (int j = 0; j < wanted.length; j++) {
				if (frame[i + j] != wanted[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	/** Sleeps until {@code readAt} plus the current latency. */
	void awaitLatency(long readAt) throws InterruptedException {
		long wait = readAt + this.latencyNanos - System.nanoTime();
		if (wait > 0) {
			TimeUnit.NANOSECONDS.sleep(wait);
		}
	}

	void closed(ProxyConnection connection) {
		this.connections.remove(connection);
	}

	void startThread(String threadName, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				this.threads.remove(Thread.currentThread());
			}
		}, threadName);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

}
