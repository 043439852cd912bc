package io.cachekit.benchmarks.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the benchmark's own, on a free loopback port, for the outage
 * scenario: started and stopped through its own {@link Process} handle, never by name. The binary
 * is {@code -Dcachekit.bench.redis-server} (set by {@code run.sh}), else {@code redis-server} on the
 * {@code PATH}.
 */
public final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private Process process;

	private RedisServerProcess(int port, Process process) {
		this.port = port;
		this.process = process;
	}

	public static RedisServerProcess start() {
		String binary = System.getProperty("cachekit.bench.redis-server", "redis-server");
		int port = freePort();
		List<String> command = List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes");
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start " + binary + ": " + ex.getMessage(), ex);
		}
		RedisServerProcess server = new RedisServerProcess(port, process);
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-redis-" + port));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!server.answersPing()) {
			if (!process.isAlive() || System.nanoTime() - deadline > 0) {
				server.stop();
				throw new IllegalStateException("redis-server on port " + port + " did not start");
			}
			Keyspace.sleep(20);
		}
		return server;
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return RedisEndpoint.url(this.port);
	}

	/** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits until its port refuses connections. */
	public synchronized void stop() {
		Process p = this.process;
		if (p == null) {
			return;
		}
		this.process = null;
		p.destroy();
		try {
			if (!p.waitFor(5, TimeUnit.SECONDS)) {
				p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[7];
			int n = in.read(answer);
			return n > 0 && new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
