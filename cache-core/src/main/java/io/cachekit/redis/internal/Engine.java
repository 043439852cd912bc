package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.ErrorCode;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.KeySweep;
import io.cachekit.near.Tracking;

/**
 * One backend's Redis engine, shared by all its views: the connection, the lifecycle gate, the
 * circuit breakers and the failure counters, each owned by one object here, and the
 * {@link CommandRunner} every command goes through. Builds the bottom level of a stack for a
 * value type ({@link #level}); starts and stops; answers the questions health and metrics ask.
 */
public final class Engine {

	/**
	 * The logger category of everything the engine logs: that of the backend's public type, so
	 * applications tune one category ({@code io.cachekit.redis.RedisCacheBackend}).
	 */
	static final String LOGGER = "io.cachekit.redis.RedisCacheBackend";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	private final EngineSettings settings;

	private final RedisConnector connector;

	private final Breakers breakers;

	private final FailureRecorder failures;

	private final Gate gate = new Gate();

	private final KeyCommands commands;

	private final ClientTracking tracking;

	private final RedisLoadingSupport loading;

	private final RedisTagVersions tags;

	/**
	 * An engine, not yet connected.
	 * @param settings what it is built from
	 */
	public Engine(EngineSettings settings) {
		this.settings = settings;
		String target = settings.target().toString();
		this.connector = new RedisConnector(settings.target(), settings.commandTimeout(), settings.connectTimeout(),
				settings.clientName(), settings.sslVerifyMode(), settings.clientOptions(), settings.clientResources());
		this.breakers = new Breakers(settings.breakerThreshold(), settings.breakerOpenDuration());
		this.failures = new FailureRecorder(target, settings.failureLogInterval());
		CommandRunner runner = new CommandRunner(this.connector, this.breakers, this.failures,
				new FailureClassifier(target, settings.commandTimeout()), settings.listener(), settings.failureMode(),
				this.gate, target);
		this.commands = new KeyCommands(runner, new Keys(settings.prefix(), settings.defaultTtl()));
		this.tracking = new ClientTracking(runner, this.commands.keys(), settings.decodeExecutor(), this.connector);
		this.connector.events(this.tracking);
		this.loading = new RedisLoadingSupport(this.commands, this.tracking);
		this.tags = new RedisTagVersions(this.tracking, runner, this.commands.keys());
		this.gate.onFirstUse(this::startUnlessStopped);
		// the failures that opened the breakers were the old connection's: serve at once
		this.connector.onReconnected(this.breakers::closeAll);
	}

	/**
	 * The bottom level of a stack for values of {@code serializer}'s type.
	 * @param <T> the value type
	 * @param serializer the value serializer
	 * @return the engine's level for that type
	 */
	public <T> CacheLevel<T> level(CacheSerializer<T> serializer) {
		return new RedisEngine<>(this.commands, new ValueCodec<>(serializer), this.settings.decodeExecutor(),
				this.settings.deleteUnreadable(), this.settings.commandTimeout(), target()).withTags(this.tags);
	}

	/**
	 * Connects to Redis. Idempotent. In fail-fast mode an unreachable Redis throws
	 * {@code CacheException(CONNECTION)}; in fail-open mode it is retried in the background.
	 */
	public synchronized void start() {
		if (this.gate.isOpen()) {
			return;
		}
		boolean connected = this.connector.start(this.settings.failureMode() == FailureMode.FAIL_OPEN);
		this.gate.open();
		if (connected) {
			logger.info("CacheKit connected to {} (prefix '{}', {}, command timeout {})", target(), this.settings.prefix(),
					this.settings.failureMode(), this.settings.commandTimeout());
		}
	}

	/** A call arrived before {@link #start()}: start now, unless {@link #stop} came first. */
	private synchronized boolean startUnlessStopped() {
		if (!this.gate.isClosed()) {
			start();
		}
		return this.gate.isOpen();
	}

	/**
	 * Stops taking calls, waits until the calls in flight are answered (up to {@code timeout}),
	 * then closes the connection and the client's threads. Idempotent.
	 * @param timeout how long to wait for calls in flight, and for the client to close
	 */
	public synchronized void stop(Duration timeout) {
		if (!this.gate.isOpen()) {
			this.gate.refuseFirstUse();
			this.connector.close(Duration.ZERO);
			return;
		}
		CompletableFuture<Void> drained = this.gate.close();
		try {
			drained.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// calls still in flight fail as the connection closes
		}
		this.tracking.close();
		this.connector.close(timeout);
		logger.info("CacheKit disconnected from {}", target());
	}

	/**
	 * Whether the engine takes calls.
	 * @return whether it was started and not stopped
	 */
	public boolean isRunning() {
		return this.gate.isOpen();
	}

	/**
	 * Whether the connection to Redis is up right now.
	 * @return {@code true} while running and connected
	 */
	public boolean isConnected() {
		return this.gate.isOpen() && this.connector.isConnected();
	}

	/**
	 * Whether a circuit (the shared one or a cluster master's) is short-circuiting calls.
	 * @return {@code true} while one is open
	 */
	public boolean isCircuitOpen() {
		return this.breakers.isAnyOpen();
	}

	/**
	 * How many times {@code operation} failed with {@code code} since start.
	 * @param operation the operation's name
	 * @param code the error code
	 * @return the count
	 */
	public long failureCount(String operation, ErrorCode code) {
		return this.failures.count(operation, code);
	}

	/**
	 * Redis' version (INFO server); empty when it does not answer within the command timeout.
	 * @return a future of the version, never failed
	 */
	public CompletableFuture<Optional<String>> serverVersion() {
		Route route = this.connector.route();
		if (!this.gate.isOpen() || route == null) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		return route.send((r) -> r.info("server")).handle((info, ex) -> {
			if (ex != null || info == null) {
				return Optional.<String>empty();
			}
			return info.lines()
				.filter((line) -> line.startsWith("redis_version:"))
				.map((line) -> line.substring("redis_version:".length()).strip())
				.findFirst();
		});
	}

	/**
	 * A service this engine offers the layers over it, by type.
	 * @param <S> the service type
	 * @param type the service type
	 * @return the service, or empty when the engine has none of that type
	 */
	public <S> Optional<S> service(Class<S> type) {
		if (type == Tracking.class) {
			return Optional.of(type.cast(this.tracking));
		}
		if (type == KeySweep.class) {
			return Optional.of(type.cast((KeySweep) this.commands::sweep));
		}
		if (type == io.cachekit.loading.TagVersions.class) {
			return Optional.of(type.cast(this.tags));
		}
		// the loading layer's leases and entry bytes, by their own types only
		boolean loading = type == io.cachekit.loading.Leases.class || type == io.cachekit.loading.EntryStore.class
				|| type == io.cachekit.loading.FencedWrites.class;
		return loading ? Optional.of(type.cast(this.loading)) : Optional.empty();
	}

	/**
	 * Where Redis is, credentials masked.
	 * @return the masked target
	 */
	public String target() {
		return this.settings.target().toString();
	}

	/** The connection's owner (for tests of the engine's insides). */
	RedisConnector connector() {
		return this.connector;
	}

	/** The failure counters (for tests of the engine's insides). */
	FailureRecorder failures() {
		return this.failures;
	}

	/**
	 * What the engine was built from.
	 * @return the settings
	 */
	public EngineSettings settings() {
		return this.settings;
	}

}
