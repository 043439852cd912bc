package io.cachekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.fixtures.Product;
import io.cachekit.test.RedisExtension;
import io.lettuce.core.RedisURI;

/**
 * {@code redis-socket://} URLs work with the artifacts cache-core ships (Netty's native epoll
 * transport on Linux), and where no native transport exists, {@code initialize()} says so.
 */
class UnixSocketTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.unixSocket();

	@Test
	void setAndGetThroughAUnixSocket() {
		assertThat(redis.url()).startsWith("redis-socket:///");
		try (RedisCacheBackend<Product> products = RedisCacheBackend.builder(redis.url())
			.serializer(CacheSerializers.json(Product.class))
			.prefix("unix:")
			.failureMode(FailureMode.FAIL_FAST)
			.build()) {
			products.initialize();
			Product lamp = new Product("p1", "Lamp", new java.math.BigDecimal("19.90"), List.of("home"));
			assertThat(products.set("p1", lamp, Duration.ofSeconds(30))).isTrue();
			assertThat(products.get("p1")).contains(lamp);
			assertThat(products.diagnostics().isConnected()).isTrue();
			assertThat(products.ping()).isTrue();
			assertThat(products.delete("p1")).isTrue();
		}
	}

	@Test
	void failOpenWorksThroughAUnixSocketToo() {
		try (RedisCacheBackend<Object> backend = RedisCacheBackend.builder(redis.url()).prefix("unix-open:").build()) {
			backend.initialize();
			assertThat(backend.diagnostics().isConnected()).isTrue();
			assertThat(backend.set("k", "v")).isTrue();
			assertThat(backend.get("k")).contains("v");
			backend.clear();
		}
	}

	@Test
	void withoutANativeTransportInitializeFailsInEveryFailureMode() throws Exception {
		// Lettuce reads its epoll switch once per JVM: a child JVM with epoll switched off stands
		// for a machine without the native jar (macOS without kqueue, Windows)
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process child = new ProcessBuilder(java.toString(), "-Dio.lettuce.core.epoll=false",
				"-Dio.lettuce.core.kqueue=false", "-Dio.lettuce.core.iouring=false", "-cp",
				System.getProperty("java.class.path"), WithoutNativeTransport.class.getName(), redis.url())
			.redirectErrorStream(true)
			.start();
		assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(output).contains("FAIL_OPEN: IllegalStateException: Cannot connect to " + redis.url())
			.contains("FAIL_FAST: IllegalStateException: Cannot connect to " + redis.url())
			.contains("io.netty:netty-transport-native-epoll")
			.contains("io.lettuce.core.epoll=false")
			.doesNotContain("UNEXPECTED");
	}

	/** Run in the child JVM: initializes a backend on the socket URL in each failure mode. */
	static final class WithoutNativeTransport {

		public static void main(String[] args) {
			for (FailureMode mode : FailureMode.values()) {
				try (RedisCacheBackend<Object> backend = RedisCacheBackend.builder(args[0]).failureMode(mode).build()) {
					backend.initialize();
					System.out.println(mode + ": UNEXPECTED: initialize() returned, running=" + backend.isRunning());
				}
				catch (RuntimeException ex) {
					System.out.println(mode + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
				}
			}
		}

	}

}
