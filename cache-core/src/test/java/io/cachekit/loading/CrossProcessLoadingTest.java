package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/** Stampede protection across separate JVM processes sharing one Redis. */
class CrossProcessLoadingTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void stop() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void threeJvmsAndThisOneRunTheLoaderOnceForAColdKey() throws Exception {
		String prefix = "xp:" + System.nanoTime() + ":";
		List<Child> children = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			children.add(start(prefix, "cold", 8, 700, 5000));
		}
		for (Child child : children) {
			child.awaitLine("READY");
		}
		try (RedisCacheBackend<Object> backend = backend(prefix, Duration.ofSeconds(5))) {
			for (Child child : children) {
				child.send("GO");
			}
			List<Thread> threads = new ArrayList<>();
			List<Object> answers = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				Thread thread = new Thread(() -> {
					Object value = backend.getOrLoad("cold", () -> {
						backend.incr("loads:cold", 1, 0, Duration.ofMinutes(1));
						Thread.sleep(700);
						return "from-test";
					}, Duration.ofMinutes(1));
					synchronized (answers) {
						answers.add(value);
					}
				});
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join(20_000);
			}
			for (Child child : children) {
				assertThat(child.awaitLine("DONE")).doesNotContain("null");
			}
			assertThat(backend.incr("loads:cold", 0, 0, null)).isEqualTo(1);
			assertThat(answers).hasSize(8).allMatch((value) -> value.equals(answers.get(0)));
		}
	}

	@Test
	void aLeaseHolderKilledMidLoadDelaysOthersAtMostItsLeaseTime() throws Exception {
		String prefix = "xk:" + System.nanoTime() + ":";
		Duration lease = Duration.ofMillis(1500);
		Child holder = start(prefix, "victim", 1, 60_000, lease.toMillis());
		holder.awaitLine("READY");
		try (RedisCacheBackend<Object> backend = backend(prefix, lease)) {
			holder.send("GO");
			holder.awaitLine("LOADING");
			holder.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long start = System.nanoTime();
			Object value = backend.getOrLoad("victim", () -> "from-test", Duration.ofMinutes(1));
			long waitedMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(value).isEqualTo("from-test");
			// the holder's lease was still on: the survivor waited for it, and no longer
			assertThat(waitedMillis).isGreaterThan(100).isLessThanOrEqualTo(lease.toMillis() + 300);
		}
	}

	private RedisCacheBackend<Object> backend(String prefix, Duration lease) {
		RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url())
			.prefix(prefix)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(LoadingLayer.of(LoadingSettings.defaults().withLeaseTime(lease)))
			.build();
		backend.initialize();
		return backend;
	}

	private Child start(String prefix, String key, int threads, long loadMillis, long leaseMillis) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), LoadingMain.class.getName(), redis.url(), prefix, key,
				Integer.toString(threads), Long.toString(loadMillis), Long.toString(leaseMillis));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		this.processes.add(process);
		return new Child(process);
	}

	private static final class Child {

		final Process process;

		private final BufferedReader out;

		private final OutputStream in;

		Child(Process process) {
			this.process = process;
			this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.in = process.getOutputStream();
		}

		String awaitLine(String start) throws IOException {
			String line;
			while ((line = this.out.readLine()) != null) {
				if (line.startsWith(start)) {
					return line;
				}
			}
			throw new IllegalStateException("the child JVM ended before printing " + start);
		}

		void send(String line) throws IOException {
			this.in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			this.in.flush();
		}

	}

}
