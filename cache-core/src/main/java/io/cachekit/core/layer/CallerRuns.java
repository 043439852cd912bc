package io.cachekit.core.layer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Hands one decoding step to the thread that waits for the result: the blocking face decodes on
 * the caller's thread instead of Lettuce's I/O thread, at no cost of a thread hop. The waiting
 * thread takes the step with {@link #get} and runs it; a result settled without a step (a failure
 * before anything was sent) completes the future it waits on directly.
 */
final class CallerRuns extends CompletableFuture<Runnable> implements Executor {

	static final Runnable NOTHING = () -> {
	};

	@Override
	public void execute(Runnable step) {
		if (!complete(step)) {
			// the caller gave up waiting (its safety bound passed): nobody else will run it
			step.run();
		}
	}

}
