package io.cachekit.benchmarks.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Optionally pins the benchmark JVM (every thread) to one CPU when the first measurement iteration
 * starts: {@code -Dcachekit.bench.pin-cpu=1} ({@code run.sh} sets it for the one-thread round-trip
 * cases and pins its {@code redis-server} to the same CPU). Warm-up runs unpinned so that the JIT
 * compiles on the other CPU.
 *
 * <p>Why: on a small VM a round trip whose three threads (caller, client I/O thread, Redis) sit on
 * different vCPUs pays a slow cross-vCPU wake-up at each hop, and the scheduler switches between
 * placements at random, so the same client measures 8,000 or 35,000 round trips per second from one
 * iteration to the next. On one CPU every client pays the same local context switches and the
 * differences between clients show. Uses {@code taskset} (util-linux); absent property, nothing
 * happens.
 */
public final class CpuPinning {

	private static volatile boolean pinned;

	private CpuPinning() {
	}

	/** Call from a {@code @Setup(Level.Iteration)} method. */
	public static void beforeIteration(IterationParams params) {
		String cpu = System.getProperty("cachekit.bench.pin-cpu");
		if (cpu == null || cpu.isBlank() || pinned || params.getType() != IterationType.MEASUREMENT) {
			return;
		}
		synchronized (CpuPinning.class) {
			if (pinned) {
				return;
			}
			String pid = Long.toString(ProcessHandle.current().pid());
			try {
				Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpu.strip(), pid)
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
					throw new IllegalStateException("taskset -a -p -c " + cpu + " " + pid + " failed");
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot pin to CPU " + cpu + " (is taskset installed?)", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			pinned = true;
		}
	}

}
