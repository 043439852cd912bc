package io.cachekit.loading;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CacheKit's own loader threads, where async loaders are called and background refreshes run
 * unless an executor is configured: daemon threads, made on demand and dropped after a minute
 * idle (a loader may block, so a bounded pool could starve refreshes).
 */
final class LoaderThreads {

	private static final AtomicInteger count = new AtomicInteger();

	private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
			new SynchronousQueue<>(), (task) -> {
				Thread thread = new Thread(task, "cachekit-loader-" + count.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			});

	private LoaderThreads() {
	}

	static Executor shared() {
		return POOL;
	}

}
