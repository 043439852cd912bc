package io.cachekit.near;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.LayerContext;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** Shared helpers of the near cache tests: backends with a near cache, a raw client, waiting. */
final class NearFixtures {

	private NearFixtures() {
	}

	/** A string backend with {@code layers} (lowest first), fail-open, started. */
	static RedisCacheBackend<String> backend(String url, String prefix, CacheLayer... layers) {
		RedisCacheBackendBuilder<String> builder = RedisCacheBackend.builder(url)
			.serializer(CacheSerializers.string())
			.prefix(prefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_OPEN)
			.commandTimeout(Duration.ofMillis(500))
			.connectTimeout(Duration.ofMillis(500));
		for (CacheLayer layer : layers) {
			builder.layer(layer);
		}
		RedisCacheBackend<String> backend = builder.build();
		backend.initialize();
		return backend;
	}

	/** Another client: a raw Lettuce connection of its own. */
	static final class Raw implements AutoCloseable {

		/** Commands that are not the operations': the heartbeat and connection checks, and the tests' own. */
		private static final Set<String> NOT_OPERATIONS = Set.of("echo", "psetex", "strlen", "info", "config", "hello",
				"client", "command", "select", "script");

		final RedisClient client;

		final StatefulRedisConnection<String, String> connection;

		final RedisCommands<String, String> commands;

		Raw(String url) {
			this.client = RedisClient.create(url);
			this.connection = this.client.connect();
			this.commands = this.connection.sync();
		}

		/**
		 * Calls per command since the last {@code CONFIG RESETSTAT} ({@code INFO commandstats}),
		 * without the commands that are not a backend's operations: the heartbeat and connection
		 * checks, and the tests' own.
		 */
		Map<String, Long> operationCommands() {
			Map<String, Long> calls = new LinkedHashMap<>();
			for (String line : this.commands.info("commandstats").split("\r?\n")) {
				if (line.startsWith("cmdstat_")) {
					String command = line.substring("cmdstat_".length(), line.indexOf(':'));
					String count = line.substring(line.indexOf("calls=") + "calls=".length()).split(",")[0];
					if (!NOT_OPERATIONS.contains(command.split("\\|")[0])) {
						calls.put(command, Long.parseLong(count));
					}
				}
			}
			return calls;
		}

		@Override
		public void close() {
			this.connection.close();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}

	}

	/** Waits up to {@code timeout} for {@code condition}; answers how long it took, or -1. */
	static long await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return System.nanoTime() - start;
			}
			Thread.sleep(1);
		}
		return condition.getAsBoolean() ? System.nanoTime() - start : -1;
	}

	/**
	 * A near cache layer that never hears Redis' per-key invalidations (only flushes and the
	 * backend's own writes): isolates what the near cache does by itself.
	 */
	static CacheLayer deaf(NearCache settings, NearCacheStats stats) {
		return new CacheLayer() {

			@Override
			public <T> CacheLevel<T> over(CacheLevel<T> below, LayerContext<T> context) {
				Tracking real = context.service(Tracking.class).orElseThrow();
				Tracking deafTracking = new Tracking() {

					@Override
					public Registration register(TrackingMode mode, Listener listener) {
						return real.register(mode, new Listener() {

							@Override
							public void invalidated(String key, boolean byRedis) {
								if (!byRedis) {
									listener.invalidated(key, false);
								}
							}

							@Override
							public void flushed(FlushCause cause) {
								listener.flushed(cause);
							}

							@Override
							public void disconnected() {
								listener.disconnected();
							}

							@Override
							public void flushed(FlushCause cause, Origin origin) {
								listener.flushed(cause, origin);
							}

							@Override
							public void disconnected(Origin origin) {
								listener.disconnected(origin);
							}

							@Override
							public void suspect(Origin origin) {
								listener.suspect(origin);
							}

						});
					}

					@Override
					public CompletableFuture<Read> read(String key) {
						return real.read(key);
					}

					@Override
					public void written(String key) {
						real.written(key);
					}

					@Override
					public void cleared() {
						real.cleared();
					}

					@Override
					public Executor decodeExecutor() {
						return real.decodeExecutor();
					}

				};
				NearCacheLevel<T> level = new NearCacheLevel<>(below, context, deafTracking, settings, stats);
				deafTracking.register(settings.tracking(), level);
				return level;
			}

		};
	}

	/** A string serializer that spins on every decode: widens the window between a reply and its keeping. */
	static CacheSerializer<String> slow(long decodeNanos) {
		CacheSerializer<String> strings = CacheSerializers.string();
		return new CacheSerializer<>() {

			@Override
			public byte[] serialize(String value) {
				return strings.serialize(value);
			}

			@Override
			public String deserialize(byte[] bytes) {
				long until = System.nanoTime() + decodeNanos;
				while (System.nanoTime() < until) {
					Thread.onSpinWait();
				}
				return strings.deserialize(bytes);
			}

		};
	}

	static Optional<String> none() {
		return Optional.empty();
	}

}
