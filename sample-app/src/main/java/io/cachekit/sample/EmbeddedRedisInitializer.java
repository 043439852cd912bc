package io.cachekit.sample;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the sample run on a machine without Redis: when nothing listens at
 * {@code app.cache.redis-url} (a plain {@code redis://host:port} URL; the connection is refused),
 * it starts an {@link EmbeddedRedisServer} and points {@code app.cache.redis-url} at it. When
 * something listens there but does not answer PING in time, or the address cannot be reached, it
 * is left configured and a warning says so: swapping a stuck Redis silently for an empty one would
 * hide the fault. The server is a bean of the context, so it stops when the context closes (on
 * Ctrl-C too, through Spring Boot's shutdown hook), and it also stops when the application fails to
 * start. Registered in {@code META-INF/spring.factories}. A real application would simply configure
 * its Redis.
 * <p>
 * It does nothing during Spring AOT processing ({@code spring-boot:process-aot} runs the application
 * up to the bean definitions at build time, with the system property {@code spring.aot.processing}
 * set): a build must neither probe a Redis nor start one, and a server registered then would not
 * be part of the generated context anyway. An AOT-processed application
 * ({@code -Dspring.aot.enabled=true}) still runs this initializer at start-up, as usual.
 */
public class EmbeddedRedisInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final String URL_PROPERTY = "app.cache.redis-url";

	private static final String DEFAULT_URL = "redis://localhost:6379/0";

	private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	/** Set to {@code true} by Spring's AOT engine while it processes the application at build time. */
	static final String AOT_PROCESSING_PROPERTY = "spring.aot.processing";

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (Boolean.getBoolean(AOT_PROCESSING_PROPERTY)) {
			return; // build time: no probe, no server
		}
		ConfigurableEnvironment environment = context.getEnvironment();
		URI configured = plainRedisUri(environment.getProperty(URL_PROPERTY, DEFAULT_URL));
		if (configured == null) {
			return; // TLS, Sentinel, a cluster or a socket: surely a Redis of the user's own
		}
		String host = configured.getHost();
		int port = (configured.getPort() != -1) ? configured.getPort() : 6379;
		long millis = PROBE_TIMEOUT.toMillis();
		switch (RedisProbe.probe(host, port, PROBE_TIMEOUT)) {
			case ANSWERS -> {
				// the configured Redis is up: nothing to do
			}
			case SILENT -> logger.warn("{}:{} accepted a connection but did not answer PING within {} ms; the sample"
					+ " runs against it anyway (it starts no redis-server of its own), and its cache is degraded until"
					+ " it answers", host, port, millis);
			case UNREACHABLE -> logger.warn("{}:{} could not be reached (no connection and no refusal within {} ms); the sample"
					+ " runs against it anyway (it starts no redis-server of its own), and its cache is degraded until"
					+ " it answers", host, port, millis);
			case NOTHING_LISTENS -> startEmbeddedServer(context, host, port);
		}
	}

	private static void startEmbeddedServer(ConfigurableApplicationContext context, String host, int port) {
		EmbeddedRedisServer server = EmbeddedRedisServer.launch();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("embeddedRedis", Map.of(URL_PROPERTY, server.url())));
		context.getBeanFactory().registerSingleton("embeddedRedisServer", server);
		context.addApplicationListener(
				GenericApplicationListener.forEventType(ApplicationFailedEvent.class, (event) -> server.stop()));
		// INFO, not WARN: on a machine without Redis this is the sample working as designed
		logger.info("Nothing listens at {}:{} (connection refused), so the sample started its own, empty"
				+ " redis-server at {} (it stops with the application)", host, port, server.url());
	}

	/** The URL when it is a plain {@code redis://} URL with a single host, else {@code null}. */
	private static URI plainRedisUri(String url) {
		try {
			URI uri = new URI(url.strip());
			return ("redis".equals(uri.getScheme()) && uri.getHost() != null) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
