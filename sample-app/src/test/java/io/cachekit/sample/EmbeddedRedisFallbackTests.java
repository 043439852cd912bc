package io.cachekit.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.cachekit.test.FaultProxy;
import io.cachekit.test.RedisProcess;

/**
 * With nothing listening at {@code app.cache.redis-url}, the sample starts a redis-server of its
 * own, serves from it, and leaves neither the process nor its directory behind, whether the
 * application closes or fails to start. Something that listens but does not answer is left alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisFallbackTests {

	@Test
	void startsItsOwnRedisWhenNothingListensAndStopsItWhenTheApplicationCloses(CapturedOutput output) {
		int nothing = freePort();
		String silent = "redis://127.0.0.1:" + nothing + "/0";
		List<Path> directoriesBefore = sampleDirectories();
		ProcessHandle server;
		int port;
		try (ConfigurableApplicationContext context = run("--server.port=0", "--app.cache.redis-url=" + silent)) {
			String url = context.getEnvironment().getProperty("app.cache.redis-url");
			assertThat(url).startsWith("redis://127.0.0.1:").isNotEqualTo(silent);
			port = URI.create(url).getPort();
			assertThat(EmbeddedRedisServer.answersPing("127.0.0.1", port, Duration.ofSeconds(1))).isTrue();
			assertThat(redisServerChildren()).hasSize(1);
			server = redisServerChildren().get(0);
			assertThat(sampleDirectories()).hasSize(directoriesBefore.size() + 1);
			assertThat(output).contains("INFO", "Nothing listens at 127.0.0.1:" + nothing + " (connection refused)",
					"started its own, empty redis-server at " + url);

			SampleClient client = new SampleClient(context, "fallback");
			assertThat(SampleClient.header(client.get("/products/p1"), "X-Cache")).isEqualTo("MISS");
			assertThat(SampleClient.header(client.get("/products/p1"), "X-Cache")).isEqualTo("HIT");
			assertThat(client.getJson("/actuator/health").path("components").path("cacheKit").path("status").asString())
				.isEqualTo("UP");
		}
		assertThat(server.isAlive()).isFalse();
		assertThat(redisServerChildren()).isEmpty();
		assertThat(EmbeddedRedisServer.answersPing("127.0.0.1", port, Duration.ofMillis(200))).isFalse();
		assertThat(sampleDirectories()).containsExactlyInAnyOrderElementsOf(directoriesBefore);
	}

	@Test
	void stopsItsRedisWhenTheApplicationFailsToStart() {
		List<Path> directoriesBefore = sampleDirectories();
		// fails while creating beans, before any lifecycle bean is started (so none is stopped)
		assertThatException().isThrownBy(() -> run("--server.port=0", "--app.cache.default-ttl=-1s",
				"--app.cache.redis-url=redis://127.0.0.1:" + freePort() + "/0"));
		assertThat(redisServerChildren()).isEmpty();
		assertThat(sampleDirectories()).containsExactlyInAnyOrderElementsOf(directoriesBefore);
	}

	@Test
	void keepsASilentRedisAndWarnsInsteadOfStartingItsOwn(CapturedOutput output) {
		try (RedisProcess target = RedisProcess.start(); FaultProxy silent = FaultProxy.start(target.url())) {
			silent.blackhole(); // accepts connections, never answers
			String configured = silent.url() + "/0";
			List<ProcessHandle> redisBefore = redisServerChildren(); // the target's
			List<Path> directoriesBefore = sampleDirectories();
			try (ConfigurableApplicationContext context = run("--server.port=0", "--app.cache.redis-url=" + configured)) {
				assertThat(context.getEnvironment().getProperty("app.cache.redis-url")).isEqualTo(configured);
				assertThat(context.containsBean("embeddedRedisServer")).isFalse();
				assertThat(redisServerChildren()).containsExactlyInAnyOrderElementsOf(redisBefore);
				assertThat(sampleDirectories()).containsExactlyInAnyOrderElementsOf(directoriesBefore);
				assertThat(silent.connectionsAccepted()).isPositive();
				assertThat(output).contains("WARN", "127.0.0.1:" + silent.port()
						+ " accepted a connection but did not answer PING within 500 ms");
				SampleClient client = new SampleClient(context, "silent");
				assertThat(client.getJson("/actuator/health").path("components").path("cacheKit").path("status").asString())
					.isEqualTo("DEGRADED");
			}
		}
	}

	/** Runs the sample with these command-line arguments, which take precedence over application.yml. */
	private static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(SampleApplication.class).properties("spring.main.banner-mode=off").run(args);
	}

	/** Child processes running Redis (Debian's redis-server is a link to redis-check-rdb, hence "redis"). */
	private static List<ProcessHandle> redisServerChildren() {
		return ProcessHandle.current()
			.children()
			.filter((process) -> process.info().command().orElse("").contains("redis"))
			.toList();
	}

	private static List<Path> sampleDirectories() {
		try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return entries.filter((path) -> path.getFileName().toString().startsWith("cachekit-sample-redis-")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
