package io.cachekit.redis.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the non-blocking face decodes values unless an executor is configured: a pool as wide as
 * the machine and at least two threads (the common {@code ForkJoinPool} has one thread on two
 * cores, and every large value of every backend would queue behind it), daemon threads named
 * {@code cachekit-decode-N}, made on first use, shared by the JVM's backends, and retired when
 * idle. Small values of CacheKit's own serializers never come here (see
 * {@code QuickDecoding}).
 */
public final class DecodeThreads {

	private static final AtomicInteger count = new AtomicInteger();

	private DecodeThreads() {
	}

	/**
	 * The shared pool.
	 * @return the pool
	 */
	public static Executor shared() {
		return Holder.POOL;
	}

	private static final class Holder {

		static final ForkJoinPool POOL = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
				(pool) -> {
					ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
					thread.setName("cachekit-decode-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, null, true);

	}

}
