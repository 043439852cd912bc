package io.cachekit.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * During Spring AOT processing (the build's {@code spring-boot:process-aot}) the initializer
 * neither probes Redis nor starts one, even where nothing listens at {@code app.cache.redis-url}.
 */
class EmbeddedRedisInitializerAotTests {

	@Test
	void doesNothingWhileSpringAotProcessesTheApplication() {
		String before = System.getProperty(EmbeddedRedisInitializer.AOT_PROCESSING_PROPERTY);
		System.setProperty(EmbeddedRedisInitializer.AOT_PROCESSING_PROPERTY, "true");
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			String nothingListens = "redis://127.0.0.1:" + freePort() + "/0";
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test", Map.of("app.cache.redis-url", nothingListens)));

			new EmbeddedRedisInitializer().initialize(context);

			assertThat(context.getBeanFactory().containsSingleton("embeddedRedisServer")).isFalse();
			assertThat(context.getEnvironment().getPropertySources().contains("embeddedRedis")).isFalse();
			assertThat(context.getEnvironment().getProperty("app.cache.redis-url")).isEqualTo(nothingListens);
		}
		finally {
			if (before == null) {
				System.clearProperty(EmbeddedRedisInitializer.AOT_PROCESSING_PROPERTY);
			}
			else {
				System.setProperty(EmbeddedRedisInitializer.AOT_PROCESSING_PROPERTY, before);
			}
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
