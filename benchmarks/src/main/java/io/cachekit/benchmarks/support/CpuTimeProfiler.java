package io.cachekit.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting {@code cpu.time.norm}: CPU time of the whole benchmark JVM (caller
 * threads, the client's I/O threads, GC and JIT) per operation, in nanoseconds. Unlike throughput
 * of a round-trip-bound call, it hardly depends on how fast a sleeping thread is woken up, so it
 * stays comparable when the machine is shared. Redis' own CPU is not included (it runs the same
 * commands for every client). Use with {@code -prof io.cachekit.benchmarks.support.CpuTimeProfiler}.
 */
public class CpuTimeProfiler implements InternalProfiler {

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private long startCpu;

	@Override
	public String getDescription() {
		return "JVM process CPU time per operation";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.startCpu = this.os.getProcessCpuTime();
	}

	@Override
	@SuppressWarnings("rawtypes") // the JMH interface declares Collection<? extends Result>
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long cpu = this.os.getProcessCpuTime() - this.startCpu;
		long ops = result.getMetadata().getAllOps();
		if (ops <= 0 || cpu < 0) {
			return List.of();
		}
		return List.of(new ScalarResult("cpu.time.norm", (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
	}

}
