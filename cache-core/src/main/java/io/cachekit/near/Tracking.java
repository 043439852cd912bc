package io.cachekit.near;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

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
	 */
	Registration register(TrackingMode mode, Listener listener);

	/**
	 * Registers a near cache whose connections must be proven alive at {@code heartbeat} while
	 * it is registered, even when every read is a local hit (see {@link NearCache#withHeartbeat}).
	 * An engine without connections to prove registers it as {@link #register(TrackingMode, Listener)}.
	 * @param mode how Redis tracks keys; every registration of one engine must use the same
	 * @param heartbeat the interval; the engine uses the shortest of its registrations
	 * @param listener told about invalidations and connection events
	 * @return ends the registration
	 */
	default Registration register(TrackingMode mode, Duration heartbeat, Listener listener) {
		return register(mode, listener);
	}

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

		/**
		 * Every key read on {@code origin} may have changed (a cluster node was replaced, lost
		 * slots, or was flushed); keys read elsewhere are still kept correct. The engine moved
		 * {@code origin}'s generation on before this call, so reads of it still in flight keep
		 * nothing.
		 * @param cause why
		 * @param origin the connection whose reads are dropped
		 */
		void flushed(FlushCause cause, Origin origin);

		/**
		 * The connection of {@code origin} was lost: its invalidations cannot arrive until it is
		 * back (which flushes what was read on it, as {@link FlushCause#RECONNECTED}).
		 * @param origin the connection lost
		 */
		void disconnected(Origin origin);

		/**
		 * The connection of {@code origin} is in doubt: a command or a heartbeat on it went
		 * unanswered in time. It may yet prove alive, or be condemned (then
		 * {@link #disconnected(Origin)} follows). The engine moved {@code origin}'s generation on
		 * before this call. A near cache that flushes on disconnection flushes now.
		 * @param origin the connection in doubt
		 */
		default void suspect(Origin origin) {
		}

	}

	/**
	 * A connection reads are answered on where the engine has more than one (a Redis Cluster: one
	 * per master node): what was read on it is kept correct by its invalidations only, so it is
	 * dropped as a whole when that connection can no longer vouch for it. Its generation moves on
	 * whenever that happens; a read keeps its value only if the generation it was sent in is still
	 * the current one after the value was kept.
	 */
	final class Origin {

		private final String name;

		private final AtomicLong generation = new AtomicLong();

		/**
		 * An origin.
		 * @param name what it is, for logs (a cluster node's id)
		 */
		public Origin(String name) {
			this.name = name;
		}

		/**
		 * The current generation.
		 * @return it
		 */
		public long generation() {
			return this.generation.get();
		}

		/** Moves the generation on: reads sent before keep nothing. Called by the engine. */
		public void moveOn() {
			this.generation.incrementAndGet();
		}

		@Override
		public String toString() {
			return this.name;
		}

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
	 * @param origin the connection it was read on, where the engine has several; else {@code null}
	 * @param originGeneration {@code origin}'s generation when the read was sent
	 */
	record Read(byte @Nullable [] value, long ttlMillis, boolean tracked, long sentAtNanos, @Nullable Origin origin,
			long originGeneration) {

		/** What a fail-open outage answers: no value, not to be kept. */
		public static final Read UNAVAILABLE = new Read(null, -2, false, 0);

		/**
		 * A read of an engine with one connection.
		 * @param value the stored bytes, or {@code null} when the key is absent
		 * @param ttlMillis the remaining TTL
		 * @param tracked whether it may be kept
		 * @param sentAtNanos when it was sent
		 */
		public Read(byte @Nullable [] value, long ttlMillis, boolean tracked, long sentAtNanos) {
			this(value, ttlMillis, tracked, sentAtNanos, null, 0);
		}

		/**
		 * Whether a value kept from this read is still vouched for by its connection.
		 * @return whether its origin's generation is the one it was sent in (always, without origin)
		 */
		public boolean stillCurrent() {
			Origin own = this.origin;
			return own == null || own.generation() == this.originGeneration;
		}

	}

}
