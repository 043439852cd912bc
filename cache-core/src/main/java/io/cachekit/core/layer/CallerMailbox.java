package io.cachekit.core.layer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Runs the steps of one blocking call (decoding a reply, a loader) on the thread that waits for
 * its result, so a sync {@code getOrLoad} loads on its caller's thread and never on a Redis I/O
 * thread. A step handed over after the caller stopped waiting runs on the common pool.
 */
final class CallerMailbox implements Executor {

	private final ArrayDeque<Runnable> steps = new ArrayDeque<>();

	private boolean closed;

	@Override
	public void execute(Runnable step) {
		synchronized (this) {
			if (!this.closed) {
				this.steps.add(step);
				notifyAll();
				return;
			}
		}
		ForkJoinPool.commonPool().execute(step);
	}

	/** Runs the steps handed over until {@code result} completes, then answers it. */
	<R> R await(CompletableFuture<R> result) throws InterruptedException, ExecutionException {
		result.whenComplete((value, ex) -> {
			synchronized (this) {
				notifyAll();
			}
		});
		try {
			while (true) {
				Runnable next;
				synchronized (this) {
					while (this.steps.isEmpty() && !result.isDone()) {
						wait();
					}
					if (result.isDone()) {
						break;
					}
					next = this.steps.poll();
				}
				next.run();
			}
		}
		finally {
			List<Runnable> late;
			synchronized (this) {
				this.closed = true;
				late = List.copyOf(this.steps);
				this.steps.clear();
			}
			late.forEach(ForkJoinPool.commonPool()::execute);
		}
		return result.get();
	}

}
