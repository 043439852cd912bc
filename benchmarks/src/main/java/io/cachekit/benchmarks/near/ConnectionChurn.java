package io.cachekit.benchmarks.near;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Kills every other client's connections ({@code CLIENT KILL TYPE normal}, then
 * {@code TYPE pubsub}; the killing connection itself is skipped) every {@link #PERIOD}, from a
 * connection of its own on a daemon thread, so the client under test reconnects and must set up
 * its invalidations again.
 */
final class ConnectionChurn implements AutoCloseable {

	static final Duration PERIOD = Duration.ofSeconds(1);

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final Thread killer;

	private final AtomicLong killed = new AtomicLong();

	private volatile boolean running = true;

	private ConnectionChurn(String redisUrl) {
		this.client = RedisClient.create(redisUrl);
		this.connection = this.client.connect();
		this.killer = new Thread(this::run, "connection-churn");
		this.killer.setDaemon(true);
	}

	static ConnectionChurn start(String redisUrl) {
		ConnectionChurn churn = new ConnectionChurn(redisUrl);
		churn.killer.start();
		return churn;
	}

	/** Connections killed so far. */
	long killed() {
		return this.killed.get();
	}

	private void run() {
		while (this.running) {
			try {
				Thread.sleep(PERIOD.toMillis());
				this.killed.addAndGet(this.connection.sync().clientKill(KillArgs.Builder.typeNormal()));
				this.killed.addAndGet(this.connection.sync().clientKill(KillArgs.Builder.typePubsub()));
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// a kill that failed is retried at the next period
			}
		}
	}

	@Override
	public void close() {
		this.running = false;
		this.killer.interrupt();
		try {
			this.killer.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.connection.close();
		this.client.shutdown();
	}

}
