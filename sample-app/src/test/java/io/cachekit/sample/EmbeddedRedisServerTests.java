package io.cachekit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary bundled in embedded-redis, which a machine without {@code redis-server} on its
 * {@code PATH} runs, starts and stops like the installed one.
 */
class EmbeddedRedisServerTests {

	@TempDir
	Path temp;

	@Test
	void theBundledBinaryServesAndStoppingDeletesItsDirectory() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("redis"));
		EmbeddedRedisServer server = EmbeddedRedisServer.launch(EmbeddedRedisServer.extractBundledBinary(directory),
				directory);
		int port = URI.create(server.url()).getPort();
		assertThat(server.isRunning()).isTrue();
		assertThat(EmbeddedRedisServer.answersPing("127.0.0.1", port, Duration.ofSeconds(1))).isTrue();
		server.stop();
		assertThat(server.isRunning()).isFalse();
		assertThat(EmbeddedRedisServer.answersPing("127.0.0.1", port, Duration.ofMillis(200))).isFalse();
		assertThat(directory).doesNotExist();
	}

}
