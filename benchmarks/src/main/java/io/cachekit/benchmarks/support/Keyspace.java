package io.cachekit.benchmarks.support;

import java.util.Objects;

import io.cachekit.benchmarks.client.BenchCache;

/**
 * The keys a benchmark reads ({@code k0..k255}, preloaded) and writes ({@code w0..w255}), with
 * the payload value for each index.
 */
public final class Keyspace {

	/** Number of keys; a power of two so that cursors wrap with a mask. */
	public static final int SIZE = 256;

	public static final int MASK = SIZE - 1;

	public final String[] readKeys = new String[SIZE];

	public final String[] writeKeys = new String[SIZE];

	public final Object[] values = new Object[SIZE];

	public Keyspace(Payload payload) {
		for (int i = 0; i < SIZE; i++) {
			this.readKeys[i] = "k" + i;
			this.writeKeys[i] = "w" + i;
			this.values[i] = payload.value(i);
		}
	}

	/**
	 * Stores every read key through {@code cache} itself (so each library reads its own format),
	 * then checks that each one reads back equal. Waits for writers that do not wait for Redis, and
	 * (up to 10 s) for a fail-open client whose first connection timed out on a loaded machine and
	 * is being retried in the background.
	 */
	public void preload(BenchCache cache) {
		long deadline = System.nanoTime() + 10_000_000_000L;
		for (int i = 0; i < SIZE; i++) {
			while (!cache.set(this.readKeys[i], this.values[i])) {
				if (System.nanoTime() - deadline >= 0) {
					throw new IllegalStateException("could not preload " + cache.redisKey(this.readKeys[i]));
				}
				sleep(50);
			}
		}
		deadline = System.nanoTime() + 10_000_000_000L;
		for (int i = 0; i < SIZE; i++) {
			Object read = cache.get(this.readKeys[i]);
			while (read == null && System.nanoTime() - deadline < 0) {
				sleep(10);
				read = cache.get(this.readKeys[i]);
			}
			if (!Objects.equals(read, this.values[i])) {
				throw new IllegalStateException("preloaded " + cache.redisKey(this.readKeys[i]) + " reads back as " + read
						+ " instead of " + this.values[i]);
			}
		}
	}

	/** Sleeps, turning an interrupt into a failure of the benchmark. */
	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
