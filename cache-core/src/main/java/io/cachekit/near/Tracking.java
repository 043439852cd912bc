package io.cachekit.near;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * What the near cache needs from the engine under it: reads on a tracked connection, and the
 * invalidations and connection events that keep an L1 correct. An engine that offers it returns
 * it from {@link io.cachekit.core.layer.LayerContext#service(Class)}.
 */
public interface Tracking {

	/**
	 * Registers a near cache: from now on tracking is enabled on every connection, before it
	 * serves reads, and {@code listener} is told what may have changed.
	 * @param mode how Redis tracks keys; every registration of one engine must use the same
	 * @param listener told about invalidations and connection events
	 * @return ends the registration
	 * @throws IllegalArgumentException when another registration chose another mode
	 * @throws IllegalStateException when the engine cannot track keys (a Redis Cluster)
	 */
	Registration register(TrackingMode mode, Listener listener);

	/**
	 * Reads a value and its remaining TTL in one round trip (GET and PTTL pipelined), under the
	 * engine's failure policy.
	 * @param key the key, without the backend's prefix
	 * @return a future of the read; in fail-open mode an outage answers {@link Read#UNAVAILABLE}
	 */
	CompletableFuture<Read> read(String key);

	/**
	 * Tells every registered near cache of this engine that the backend itself changed a key.
	 * @param key the key, without the backend's prefix
	 */
	void written(String key);

	/** Tells every registered near cache of this engine that the backend itself cleared keys. */
	void cleared();

	/**
	 * Where the non-blocking face decodes values.
	 * @return the engine's decode executor
	 */
	Executor decodeExecutor();

	/** Told what may have changed in Redis. Called on Redis I/O threads: must be quick. */
	interface Listener {

		/**
		 * A key may have changed.
		 * @param key the key, without the backend's prefix
		 * @param byRedis whether Redis sent the invalidation (else this backend's own write)
		 */
		void invalidated(String key, boolean byRedis);

		/**
		 * Every key may have changed.
		 * @param cause why
		 */
		void flushed(FlushCause cause);

		/** The connection was lost: invalidations cannot arrive until a new one is up. */
		void disconnected();

	}

	/** A registration, ended by {@link #close()}. */
	interface Registration extends AutoCloseable {

		/** Ends the registration. */
		@Override
		void close();

	}

	/**
	 * One value read with its remaining TTL.
	 * @param value the stored bytes, or {@code null} when the key is absent
	 * @param ttlMillis the remaining TTL (PTTL: {@code -1} no expiry, {@code -2} absent)
	 * @param tracked whether the read was sent on a connection tracking keys, after tracking was
	 *     acknowledged, and that connection is still the current one: only such reads may be kept
	 * @param sentAtNanos when the read was sent ({@link System#nanoTime()})
	 */
	record Read(byte @Nullable [] value, long ttlMillis, boolean tracked, long sentAtNanos) {

		/** What a fail-open outage answers: no value, not to be kept. */
		public static final Read UNAVAILABLE = new Read(null, -2, false, 0);

	}

}
