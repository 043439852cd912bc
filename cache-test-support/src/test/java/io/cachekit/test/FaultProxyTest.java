package io.cachekit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault proxy between raw RESP clients and a real redis-server: each mode does what it says,
 * on connections already open and on new ones, and what was discarded or dropped never reached
 * Redis (checked on Redis directly, not through the proxy).
 */
class FaultProxyTest {

	/** Long enough to tell "unanswered" from a slow answer on a busy machine, short enough to keep tests quick. */
	private static final Duration SILENCE = Duration.ofMillis(400);

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private FaultProxy proxy;

	private String prefix;

	private final List<Client> clients = new ArrayList<>();

	@BeforeEach
	void start() {
		this.proxy = FaultProxy.start(redis.url());
		this.prefix = "fault-proxy-" + UUID.randomUUID() + ":";
	}

	@AfterEach
	void stop() throws IOException {
		for (Client client : this.clients) {
			client.socket.close();
		}
		this.proxy.close();
	}

	@Test
	void passForwardsCommandsAndRepliesBothWays() throws IOException {
		Client client = connect();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		assertThat(client.call("SET", key("k"), "v")).isEqualTo("+OK");
		assertThat(client.call("GET", key("k"))).isEqualTo("v");
		assertThat(direct("GET", key("k"))).isEqualTo("v");
		assertThat(this.proxy.connectionsAccepted()).isEqualTo(1);
		assertThat(this.proxy.connectionsOpen()).isEqualTo(1);
		assertThat(this.proxy.url()).isEqualTo("redis://127.0.0.1:" + this.proxy.port());
	}

	@Test
	void blackholeLeavesCommandsUnansweredOnOpenConnectionsAndPassHealsANewOne() throws IOException {
		Client old = connect();
		assertThat(old.call("PING")).isEqualTo("+PONG");
		this.proxy.blackhole();
		old.send("SET", key("lost"), "1");
		assertThat(old.silentFor(SILENCE)).isTrue();
		Client fresh = connect(); // still accepted, and blackholed too
		fresh.send("SET", key("lost-too"), "1");
		assertThat(fresh.silentFor(SILENCE)).isTrue();
		assertThat(this.proxy.connectionsOpen()).isEqualTo(2);
		assertThat(this.proxy.connectionsAccepted()).isEqualTo(2);
		this.proxy.pass();
		assertThat(connect().call("PING")).isEqualTo("+PONG");
		assertThat(direct("EXISTS", key("lost"), key("lost-too"))).isEqualTo(":0");
	}

	@Test
	void dropNextCommandDropsExactlyOneOfSeveralPipelinedCommands() throws IOException {
		Client client = connect();
		this.proxy.dropNextCommand();
		client.write(concat(command("SET", key("a"), "1"), command("SET", key("b"), "2"), command("SET", key("c"), "3")));
		assertThat(this.proxy.awaitDropped(Duration.ofSeconds(5))).isTrue();
		assertThat(client.read()).isEqualTo("+OK");
		assertThat(client.read()).isEqualTo("+OK");
		// the reply the client expects for its third SET is the PING's: out of step
		client.send("PING");
		assertThat(client.read()).isEqualTo("+PONG");
		assertThat(client.silentFor(SILENCE)).isTrue();
		assertThat(this.proxy.droppedCommands()).isEqualTo(1);
		assertThat(direct("EXISTS", key("a"), key("b"), key("c"))).isEqualTo(":2");
		assertThat(this.proxy.connectionsOpen()).isEqualTo(1);
	}

	@Test
	void dropNextCommandDropsACommandSplitAcrossWritesWhole() throws IOException {
		Client client = connect();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		this.proxy.dropNextCommand();
		byte[] first = command("SET", key("split"), "1");
		byte[] second = command("SET", key("kept"), "2");
		int half = first.length / 2;
		client.write(Arrays.copyOfRange(first, 0, half));
		RedisProcess.sleep(100); // separate reads at the proxy
		client.write(concat(Arrays.copyOfRange(first, half, first.length), Arrays.copyOf(second, 3)));
		RedisProcess.sleep(100);
		client.write(Arrays.copyOfRange(second, 3, second.length));
		assertThat(this.proxy.awaitDropped(Duration.ofSeconds(5))).isTrue();
		assertThat(client.read()).isEqualTo("+OK");
		assertThat(client.silentFor(SILENCE)).isTrue();
		assertThat(direct("EXISTS", key("split"))).isEqualTo(":0");
		assertThat(direct("GET", key("kept"))).isEqualTo("2");
	}

	@Test
	void dropNextPushDropsOneInvalidationWholeAndKeepsRepliesInStep() throws IOException {
		Client client = connect();
		client.send("HELLO", "3");
		client.send("PING");
		client.readUntil("+PONG");
		assertThat(client.call("CLIENT", "TRACKING", "ON")).isEqualTo("+OK");
		assertThat(client.call("GET", key("lost"))).as("RESP3 null").isEqualTo("_");
		assertThat(client.call("GET", key("kept"))).isEqualTo("_");
		this.proxy.dropNextPush(key("lost"));
		direct("SET", key("lost"), "1");
		direct("SET", key("kept"), "1");
		assertThat(this.proxy.awaitPushDropped(Duration.ofSeconds(5))).isTrue();
		client.send("PING");
		String before = client.readUntil("+PONG");
		assertThat(before).contains("invalidate").contains(key("kept")).doesNotContain(key("lost"));
		assertThat(client.call("GET", key("lost"))).isEqualTo("1");
		assertThat(this.proxy.droppedPushes()).isEqualTo(1);
		assertThat(this.proxy.droppedCommands()).isZero();
	}

	@Test
	void aSentinelsOwnConnectionIsNeverChosenForADrop() throws IOException {
		Client sentinel = connect();
		assertThat(sentinel.call("CLIENT", "SETNAME", "sentinel-0123abcd-cmd")).isEqualTo("+OK");
		Client client = connect();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		this.proxy.dropNextCommand();
		assertThat(sentinel.call("SET", key("sentinel"), "1")).isEqualTo("+OK");
		assertThat(this.proxy.droppedCommands()).isZero();
		client.send("SET", key("client"), "1");
		assertThat(this.proxy.awaitDropped(Duration.ofSeconds(5))).isTrue();
		assertThat(direct("EXISTS", key("sentinel"), key("client"))).isEqualTo(":1");
	}

	@Test
	void cancelPendingDropsForgetsDropsNotYetMade() throws IOException {
		Client client = connect();
		this.proxy.dropNextCommand();
		this.proxy.dropNextPush();
		this.proxy.cancelPendingDrops();
		assertThat(this.proxy.awaitDropped(Duration.ZERO)).isTrue();
		assertThat(this.proxy.awaitPushDropped(Duration.ZERO)).isTrue();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		assertThat(this.proxy.droppedCommands()).isZero();
	}

	@Test
	void awaitPushDroppedIsFalseWhileNoPushCame() throws IOException {
		assertThat(connect().call("PING")).isEqualTo("+PONG");
		this.proxy.dropNextPush();
		assertThat(this.proxy.awaitPushDropped(Duration.ofMillis(200))).isFalse();
		assertThat(this.proxy.droppedPushes()).isZero();
	}

	@Test
	void awaitDroppedIsFalseWhileNoCommandCame() {
		this.proxy.dropNextCommand();
		assertThat(this.proxy.awaitDropped(Duration.ofMillis(100))).isFalse();
		assertThat(this.proxy.droppedCommands()).isZero();
	}

	@Test
	void stallExistingSilencesOldConnectionsWhileNewOnesPass() throws IOException {
		Client old = connect();
		assertThat(old.call("PING")).isEqualTo("+PONG");
		this.proxy.stallExisting();
		old.send("SET", key("stalled"), "1");
		Client fresh = connect();
		assertThat(fresh.call("PING")).isEqualTo("+PONG");
		assertThat(old.silentFor(SILENCE)).isTrue();
		assertThat(this.proxy.connectionsOpen()).isEqualTo(2);
		assertThat(direct("EXISTS", key("stalled"))).isEqualTo(":0");
	}

	@Test
	void latencyDelaysEachDirection() throws IOException {
		Client client = connect();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		this.proxy.latency(Duration.ofMillis(300));
		long start = System.nanoTime();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
		this.proxy.latency(Duration.ZERO);
		start = System.nanoTime();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
	}

	@Test
	void resetAllResetsClientAndRedisSides() throws IOException {
		Client client = connect();
		assertThat(client.call("PING")).isEqualTo("+PONG");
		long clientsBefore = connectedClients();
		this.proxy.resetAll();
		assertThatThrownBy(client::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
		await("Redis to lose the proxy's connection", () -> connectedClients() == clientsBefore - 1);
		assertThat(this.proxy.connectionsOpen()).isZero();
		assertThat(connect().call("PING")).isEqualTo("+PONG");
	}

	@Test
	void closeEndsEveryThreadAndStopsListening() throws IOException {
		Client delayed = connect();
		assertThat(delayed.call("PING")).isEqualTo("+PONG");
		this.proxy.latency(Duration.ofSeconds(30));
		delayed.send("PING"); // its thread now sleeps out the latency
		this.proxy.blackhole();
		connect().send("PING");
		RedisProcess.sleep(100);
		String threadPrefix = "cachekit-fault-proxy-" + this.proxy.port() + "-";
		assertThat(proxyThreads(threadPrefix)).hasSizeGreaterThanOrEqualTo(5);
		long start = System.nanoTime();
		this.proxy.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(proxyThreads(threadPrefix)).isEmpty();
		assertThatThrownBy(() -> connect()).isInstanceOf(IOException.class);
	}

	@Test
	void refusesTargetsOffLoopback() {
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("10.0.0.1", 6379))
			.withMessageContaining("not a loopback address");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("redis://redis.example.com:6379"))
			.withMessageContaining("not a loopback address");
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("127.0.0.999", 6379));
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("::ffff:10.0.0.1", 6379));
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("127.0.0.1", 0));
		assertThatIllegalArgumentException().isThrownBy(() -> FaultProxy.start("redis://127.0.0.1:1,127.0.0.1:2"));
	}

	private String key(String name) {
		return this.prefix + name;
	}

	private Client connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.proxy.port()), 1000);
		Client client = new Client(socket);
		this.clients.add(client);
		return client;
	}

	/** A command straight to Redis, bypassing the proxy, as the raw reply {@link Client#read()} gives. */
	private static String direct(String... args) throws IOException {
		RedisProcess process = redis.process();
		try (Socket socket = new Socket(process.host(), process.port())) {
			return new Client(socket).call(args);
		}
	}

	private static long connectedClients() {
		String info = (String) Resp.call(redis.process().host(), redis.process().port(), "INFO", "clients");
		return info.lines()
			.filter((line) -> line.startsWith("connected_clients:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
			.findFirst()
			.orElseThrow();
	}

	private static List<String> proxyThreads(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

	private static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 5s for " + what).isLessThan(deadline);
			RedisProcess.sleep(20);
		}
	}

	private static byte[] command(String... args) {
		return Resp.encode(args);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/**
	 * A raw RESP client on one connection. {@link #read()} gives a simple reply, error or integer
	 * as its line ({@code +OK}, {@code :2}) and a bulk string as its content.
	 */
	private static final class Client {

		private final Socket socket;

		private final InputStream in;

		Client(Socket socket) throws IOException {
			this.socket = socket;
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(5000);
			this.in = new BufferedInputStream(socket.getInputStream());
		}

		String call(String... args) throws IOException {
			send(args);
			return read();
		}

		void send(String... args) throws IOException {
			write(command(args));
		}

		void write(byte[] bytes) throws IOException {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
		}

		String read() throws IOException {
			String line = line();
			if (line.startsWith("$")) {
				int length = Integer.parseInt(line.substring(1));
				if (length < 0) {
					return null;
				}
				String data = new String(this.in.readNBytes(length), StandardCharsets.UTF_8);
				line();
				return data;
			}
			return line;
		}

		/** Reads lines until one equals {@code last}; answers every line before it, joined by newlines. */
		String readUntil(String last) throws IOException {
			StringBuilder seen = new StringBuilder();
			for (String line = line(); !line.equals(last); line = line()) {
				seen.append(line).append('\n');
			}
			return seen.toString();
		}

		/** Whether nothing arrives for {@code silence} while the connection stays open. */
		boolean silentFor(Duration silence) throws IOException {
			this.socket.setSoTimeout((int) silence.toMillis());
			try {
				this.in.read();
				return false; // an answer, or the end of the stream
			}
			catch (SocketTimeoutException ex) {
				return true;
			}
			finally {
				this.socket.setSoTimeout(5000);
			}
		}

		private String line() throws IOException {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = this.in.read()) != '\r') {
				if (c == -1) {
					throw new IOException("end of stream after '" + line + "'");
				}
				line.append((char) c);
			}
			this.in.read();
			return line.toString();
		}

	}

}
