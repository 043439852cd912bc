package io.cachekit.sample;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.context.SmartLifecycle;

/**
 * A {@code redis-server} process of the sample's own, on a free loopback port, with a temporary
 * directory for its files: the {@code redis-server} on {@code PATH}, else the binary shipped inside
 * {@code com.github.codemonstur:embedded-redis} (Linux and macOS), extracted into that directory.
 * As a bean it stops in the last lifecycle phase, after the cache has disconnected: stopping ends
 * the process and deletes the directory.
 */
public final class EmbeddedRedisServer implements SmartLifecycle {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final Path directory;

	private final int port;

	private boolean running = true;

	private EmbeddedRedisServer(Process process, Path directory, int port) {
		this.process = process;
		this.directory = directory;
		this.port = port;
	}

	/** Starts a server and waits until it answers PING. */
	static EmbeddedRedisServer launch() {
		Path directory = createTempDirectory();
		try {
			return launch(onPath().orElseGet(() -> extractBundledBinary(directory)), directory);
		}
		catch (RuntimeException ex) {
			deleteRecursively(directory);
			throw ex;
		}
	}

	/** Starts {@code binary} with {@code directory} as its working directory, which stopping deletes. */
	static EmbeddedRedisServer launch(Path binary, Path directory) {
		int port = freePort();
		List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", directory.toString());
		Path log = directory.resolve("redis.log");
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + binary, ex);
		}
		EmbeddedRedisServer server = new EmbeddedRedisServer(process, directory, port);
		try {
			server.awaitPing(log);
		}
		catch (RuntimeException ex) {
			server.stop();
			throw ex;
		}
		return server;
	}

	private void awaitPing(Path log) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!answersPing("127.0.0.1", this.port, Duration.ofMillis(200))) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not start on port " + this.port + ": " + tail(log));
			}
			sleep(Duration.ofMillis(20));
		}
	}

	/** Whether a Redis at {@code host:port} answers PING within {@code timeout} (an error reply counts: it is a Redis). */
	static boolean answersPing(String host, int port, Duration timeout) {
		return RedisProbe.probe(host, port, timeout) == RedisProbe.ANSWERS;
	}

	/** The URL to connect to: {@code redis://127.0.0.1:<port>/0}. */
	public String url() {
		return "redis://127.0.0.1:" + this.port + "/0";
	}

	/** Nothing to do: the server runs from the moment it is created. */
	@Override
	public void start() {
	}

	/** Ends the process (SIGTERM, then a kill after 5 s) and deletes its directory; idempotent. */
	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			deleteRecursively(this.directory);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/** The lowest phase: stopped after every other lifecycle bean, the cache's included. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

	/** The {@code redis-server} bundled in embedded-redis for this platform, copied into {@code directory}. */
	static Path extractBundledBinary(Path directory) {
		String resource = bundledBinaryName();
		try (InputStream in = EmbeddedRedisServer.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server on PATH and no " + resource
						+ " on the classpath (com.github.codemonstur:embedded-redis)");
			}
			Path binary = directory.resolve("redis-server");
			Files.copy(in, binary);
			if (!binary.toFile().setExecutable(true, true)) {
				throw new IllegalStateException("Could not make " + binary + " executable");
			}
			return binary;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract " + resource, ex);
		}
	}

	private static String bundledBinaryName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm64");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		throw new IllegalStateException("No bundled redis-server for " + os + "/" + arch
				+ ": install Redis, or point app.cache.redis-url at one");
	}

	private static Optional<Path> onPath() {
		String path = System.getenv("PATH");
		return (path != null) ? Stream.of(path.split(File.pathSeparator))
			.map((dir) -> Path.of(dir, "redis-server"))
			.filter(Files::isExecutable)
			.findFirst() : Optional.empty();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on loopback", ex);
		}
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("cachekit-sample-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "(no output)";
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting redis-server", ex);
		}
	}

	private static void deleteRecursively(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: the directory is in the temporary folder anyway
		}
	}

}
