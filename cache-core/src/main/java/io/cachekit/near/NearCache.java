package io.cachekit.near;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.layer.CacheLayer;

/**
 * The settings of a near cache: an immutable value whose {@code with...} methods return a
 * changed copy. {@link #layer()} makes the layer to add to a backend:
 *
 * <pre>{@code
 * RedisCacheBackend.builder(url).nearCache(NearCache.defaults().withMaxEntries(50_000)).build();
 * }</pre>
 */
public final class NearCache {

	/** Default bound on the number of entries of one near cache. */
	public static final long DEFAULT_MAX_ENTRIES = 10_000;

	/** Default upper bound on an entry's local TTL. */
	public static final Duration DEFAULT_MAX_LOCAL_TTL = Duration.ofMinutes(5);

	/** Default interval of the heartbeat that proves a connection alive while entries read on it are kept. */
	public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);

	private static final NearCache DEFAULTS = new NearCache(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LOCAL_TTL,
			TrackingMode.DEFAULT, false, OutageMode.FLUSH, DEFAULT_HEARTBEAT);

	private final long maxEntries;

	private final Duration maxLocalTtl;

	private final TrackingMode tracking;

	private final boolean copyOnRead;

	private final OutageMode outageMode;

	private final Duration heartbeat;

	private NearCache(long maxEntries, Duration maxLocalTtl, TrackingMode tracking, boolean copyOnRead,
			OutageMode outageMode, Duration heartbeat) {
		this.heartbeat = heartbeat;
		this.maxEntries = maxEntries;
		this.maxLocalTtl = maxLocalTtl;
		this.tracking = tracking;
		this.copyOnRead = copyOnRead;
		this.outageMode = outageMode;
	}

	/**
	 * The defaults: {@value #DEFAULT_MAX_ENTRIES} entries, local TTL at most 5 minutes, default
	 * tracking, hits return the stored object, flushed when the connection is lost.
	 * @return the default settings
	 */
	public static NearCache defaults() {
		return DEFAULTS;
	}

	/**
	 * These settings with another bound on the number of entries.
	 * @param maxEntries at most this many entries, at least 1
	 * @return the changed settings
	 */
	public NearCache withMaxEntries(long maxEntries) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be at least 1 but was " + maxEntries);
		}
		return new NearCache(maxEntries, this.maxLocalTtl, this.tracking, this.copyOnRead, this.outageMode, this.heartbeat);
	}

	/**
	 * These settings with another upper bound on local TTLs: an entry is kept at most this long,
	 * and never past its remaining TTL in Redis.
	 * @param maxLocalTtl positive
	 * @return the changed settings
	 */
	public NearCache withMaxLocalTtl(Duration maxLocalTtl) {
		Objects.requireNonNull(maxLocalTtl, "maxLocalTtl must not be null");
		if (maxLocalTtl.isNegative() || maxLocalTtl.isZero()) {
			throw new IllegalArgumentException("maxLocalTtl must be positive but was " + maxLocalTtl);
		}
		return new NearCache(this.maxEntries, maxLocalTtl, this.tracking, this.copyOnRead, this.outageMode, this.heartbeat);
	}

	/**
	 * These settings with another tracking mode.
	 * @param tracking how Redis tracks keys
	 * @return the changed settings
	 */
	public NearCache withTracking(TrackingMode tracking) {
		Objects.requireNonNull(tracking, "tracking must not be null");
		return new NearCache(this.maxEntries, this.maxLocalTtl, tracking, this.copyOnRead, this.outageMode, this.heartbeat);
	}

	/**
	 * These settings with copy-on-read on or off. With it on, the near cache keeps the stored
	 * bytes and decodes them on every hit, so callers may mutate what they get; off, a hit returns
	 * the one stored object, which callers must not mutate.
	 * @param copyOnRead whether hits decode the stored bytes
	 * @return the changed settings
	 */
	public NearCache withCopyOnRead(boolean copyOnRead) {
		return new NearCache(this.maxEntries, this.maxLocalTtl, this.tracking, copyOnRead, this.outageMode, this.heartbeat);
	}

	/**
	 * These settings with another behaviour while the connection is down.
	 * @param outageMode what is served while Redis cannot be reached
	 * @return the changed settings
	 */
	public NearCache withOutageMode(OutageMode outageMode) {
		Objects.requireNonNull(outageMode, "outageMode must not be null");
		return new NearCache(this.maxEntries, this.maxLocalTtl, this.tracking, this.copyOnRead, outageMode, this.heartbeat);
	}

	/**
	 * These settings with another heartbeat interval. While entries read on a connection are kept,
	 * that connection is proven alive and in step at this interval even when every read is a local
	 * hit; a connection that fails the proof is suspect (flushed in {@link OutageMode#FLUSH}) within
	 * this interval plus the command timeout.
	 * @param heartbeat the interval, positive
	 * @return the changed settings
	 */
	public NearCache withHeartbeat(Duration heartbeat) {
		Objects.requireNonNull(heartbeat, "heartbeat must not be null");
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
		}
		return new NearCache(this.maxEntries, this.maxLocalTtl, this.tracking, this.copyOnRead, this.outageMode,
				heartbeat);
	}

	/**
	 * The heartbeat interval.
	 * @return how often a connection entries were read on is proven alive
	 */
	public Duration heartbeat() {
		return this.heartbeat;
	}

	/**
	 * The bound on the number of entries.
	 * @return at most this many entries are kept
	 */
	public long maxEntries() {
		return this.maxEntries;
	}

	/**
	 * The upper bound on local TTLs.
	 * @return the longest an entry is kept
	 */
	public Duration maxLocalTtl() {
		return this.maxLocalTtl;
	}

	/**
	 * The tracking mode.
	 * @return how Redis tracks keys
	 */
	public TrackingMode tracking() {
		return this.tracking;
	}

	/**
	 * Whether hits decode the stored bytes.
	 * @return whether copy-on-read is on
	 */
	public boolean copyOnRead() {
		return this.copyOnRead;
	}

	/**
	 * What is served while the connection is down.
	 * @return the outage mode
	 */
	public OutageMode outageMode() {
		return this.outageMode;
	}

	/**
	 * A layer with these settings, to add to a backend's builder; one L1 per level it is put over.
	 * @return a new layer
	 */
	public NearCacheLayer layer() {
		return new NearCacheLayer(this);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof NearCache that && this.maxEntries == that.maxEntries
				&& this.maxLocalTtl.equals(that.maxLocalTtl) && this.tracking == that.tracking
				&& this.copyOnRead == that.copyOnRead && this.outageMode == that.outageMode
				&& this.heartbeat.equals(that.heartbeat);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.maxEntries, this.maxLocalTtl, this.tracking, this.copyOnRead, this.outageMode,
				this.heartbeat);
	}

	@Override
	public String toString() {
		return "NearCache[maxEntries=" + this.maxEntries + ", maxLocalTtl=" + this.maxLocalTtl + ", tracking="
				+ this.tracking + ", copyOnRead=" + this.copyOnRead + ", outageMode=" + this.outageMode + ", heartbeat=" + this.heartbeat + "]";
	}

}
