package io.cachekit.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code redis-server} process on a loopback port, with its own working directory. It can
 * be stopped and started again on the same port (fault tests), and {@link #close()} stops it
 * and deletes its directory. A JVM shutdown hook closes whatever a crashed test left running.
 */
public final class RedisProcess implements AutoCloseable {

	private static final Set<RedisProcess> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(RedisProcess::close),
				"cachekit-redis-process-cleanup"));
	}

	private final int port;

	private final List<String> extraArgs;

	private final Path dir;

	private final String configFile;

	private final boolean unixSocket;

	private volatile Process process;

	private RedisProcess(int port, List<String> extraArgs, String configFile, boolean unixSocket) {
		this.port = port;
		this.extraArgs = List.copyOf(extraArgs);
		this.configFile = configFile;
		this.unixSocket = unixSocket;
		try {
			this.dir = Files.createTempDirectory("cachekit-redis-" + port + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts a server on a free port with the given extra arguments ({@code --name value} pairs). */
	public static RedisProcess start(String... extraArgs) {
		return startOnAFreePort(null, false, extraArgs);
	}

	/** Starts a server on the given port. */
	public static RedisProcess start(int port, String... extraArgs) {
		return start(port, null, extraArgs);
	}

	/**
	 * Starts a server from a configuration file with the given content (written into its own
	 * directory, where the server may rewrite it, as Sentinel does), plus extra arguments.
	 */
	public static RedisProcess startWithConfig(String configContent, String... extraArgs) {
		return startOnAFreePort(configContent, false, extraArgs);
	}

	/**
	 * Starts a server that also listens on a Unix domain socket in its own directory
	 * ({@link #socketUrl()}).
	 */
	public static RedisProcess startWithUnixSocket() {
		return startOnAFreePort(null, true);
	}

	/**
	 * Starts a server on a port of {@link #freePort()}; when another process took that port in
	 * the moment between choosing and binding it (another build choosing at the same time), on
	 * another one.
	 */
	private static RedisProcess startOnAFreePort(String configContent, boolean unixSocket, String... extraArgs) {
		for (int attempt = 1;; attempt++) {
			try {
				return start(freePort(), configContent, unixSocket, extraArgs);
			}
			catch (PortTakenException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	private static RedisProcess start(int port, String configContent, String... extraArgs) {
		return start(port, configContent, false, extraArgs);
	}

	private static RedisProcess start(int port, String configContent, boolean unixSocket, String... extraArgs) {
		RedisProcess redis = new RedisProcess(port, List.of(extraArgs), configContent, unixSocket);
		RUNNING.add(redis);
		try {
			redis.startProcess();
		}
		catch (RuntimeException ex) {
			redis.close();
			throw ex;
		}
		return redis;
	}

	public int port() {
		return this.port;
	}

	public String host() {
		return "127.0.0.1";
	}

	public String url() {
		return "redis://" + host() + ":" + this.port;
	}

	/** {@code redis-socket://} URL of the Unix domain socket; only for {@link #startWithUnixSocket()}. */
	public String socketUrl() {
		if (!this.unixSocket) {
			throw new IllegalStateException("Only RedisProcess.startWithUnixSocket() listens on a Unix socket");
		}
		return "redis-socket://" + this.dir.resolve("redis.sock");
	}

	public Path dir() {
		return this.dir;
	}

	public boolean isRunning() {
		Process p = this.process;
		return p != null && p.isAlive();
	}

	/** Starts the process again after {@link #stop()}, on the same port and directory. */
	public synchronized void restart() {
		if (!isRunning()) {
			startProcess();
		}
	}

	/** Kills the process (as a crash would: no save, connections reset) and waits for it to exit. */
	public synchronized void stop() {
		Process p = this.process;
		if (p == null) {
			return;
		}
		p.destroyForcibly();
		try {
			p.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	@Override
	public synchronized void close() {
		stop();
		RUNNING.remove(this);
		deleteRecursively(this.dir);
	}

	private void startProcess() {
		List<String> command = new ArrayList<>();
		command.add(RedisBinary.path().toString());
		if (this.configFile != null) {
			Path conf = this.dir.resolve("redis.conf");
			try {
				if (!Files.exists(conf)) {
					Files.writeString(conf, this.configFile);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			command.add(conf.toString());
		}
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no", "--dir", this.dir.toString(), "--daemonize", "no",
				"--protected-mode", "no", "--logfile", this.dir.resolve("redis.log").toString()));
		if (this.unixSocket) {
			command.addAll(List.of("--unixsocket", this.dir.resolve("redis.sock").toString(), "--unixsocketperm", "700"));
		}
		command.addAll(this.extraArgs);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("stdout.log").toFile());
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command.get(0), ex);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				String log = tail(this.dir.resolve("redis.log")) + tail(this.dir.resolve("stdout.log"));
				if (log.contains("Address already in use")) {
					// said plainly: after a restart this would otherwise look like a client that never reconnects
					throw new PortTakenException("redis-server could not listen on port " + this.port
							+ ": another process took the port (while this server was stopped, or between choosing and "
							+ "binding it). " + log);
				}
				throw new IllegalStateException("redis-server exited at start-up on port " + this.port + ": " + log);
			}
			if (answers()) {
				return;
			}
			sleep(10);
		}
		throw new IllegalStateException("redis-server did not answer on port " + this.port + " within 15s");
	}

	private boolean answers() {
		if (this.extraArgs.contains("--tls-port")) {
			// plain PING is impossible on a TLS-only server: that it accepts connections will do
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(host(), this.port), 200);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
		try {
			Object reply = Resp.call(host(), this.port, "PING");
			return "PONG".equals(reply);
		}
		catch (UncheckedIOException ex) {
			return false;
		}
		catch (Resp.RespErrorException ex) {
			// LOADING or NOAUTH: the server is up
			return true;
		}
	}

	/**
	 * A port that was free a moment ago on loopback, outside the kernel's ephemeral range, as is
	 * the port 10,000 above it (a cluster node's bus). Not an ephemeral port, because a server
	 * that is stopped and started again on its port (fault tests) must find it free: an ephemeral
	 * port can meanwhile become the local end of any process's outgoing connection, or of a
	 * client's own attempt to reconnect to it (a TCP self-connect), which would look exactly like
	 * a client that never reconnects. And a port where nothing listens (a "Redis down" URL) can
	 * otherwise be connected to by such a self-connect. Ports handed out are not handed out again
	 * by this JVM.
	 */
	public static int freePort() {
		int[] window = portWindow();
		if (window != null) {
			int size = window[1] - window[0] + 1;
			int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
			for (int i = 0; i < Math.min(size, 2000); i++) {
				int port = window[0] + (start + i) % size;
				if (!HANDED_OUT.contains(port) && bindable(port) && bindable(port + CLUSTER_BUS_OFFSET)
						&& HANDED_OUT.add(port)) {
					return port;
				}
			}
		}
		// no room below the ephemeral range (an unusual kernel setting): the kernel's choice
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static final int CLUSTER_BUS_OFFSET = 10_000;

	private static final int LOWEST_PORT = 10_000;

	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	/**
	 * Where {@link #freePort()} chooses: from {@value #LOWEST_PORT} to just below the ephemeral
	 * range, less the cluster bus offset; {@code null} when that leaves fewer than 1,000 ports.
	 */
	private static int[] portWindow() {
		int ephemeralLow = 32_768; // Linux's default, when the setting cannot be read
		try {
			Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
			if (Files.isReadable(range)) {
				ephemeralLow = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
			}
		}
		catch (IOException | RuntimeException ex) {
			// the default above
		}
		int highest = ephemeralLow - 1 - CLUSTER_BUS_OFFSET;
		return (highest - LOWEST_PORT + 1 >= 1_000) ? new int[] { LOWEST_PORT, highest } : null;
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress("127.0.0.1", port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The server could not listen on its port: another process has it. */
	public static final class PortTakenException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		PortTakenException(String message) {
			super(message);
		}

	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "";
		}
	}

	static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ignored) {
			// best effort
		}
	}

	@Override
	public String toString() {
		return "redis-server on " + url();
	}

}
