package io.cachekit.benchmarks;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.CacheType;
import io.cachekit.benchmarks.support.Keyspace;
import io.cachekit.benchmarks.support.Payload;
import io.cachekit.benchmarks.support.VirtualThreads;

/**
 * 1,000 virtual threads calling the blocking face: each invocation starts 1,000 virtual threads,
 * each making one blocking {@code get} of a preloaded product, and waits for all of them; the score
 * is gets per second ({@code @OperationsPerInvocation(1000)}), the shape of {@link AsyncBenchmark}'s
 * 1,000 gets in flight with a thread per get instead of a future per get. Starting the threads is
 * part of what is measured (a thread per request is how they are used). Needs Java 21+ (found at
 * run time: the suite compiles for 17); {@code benchmarks/run.sh} runs it on JDK 25 with JFR
 * recording {@code jdk.VirtualThreadPinned} at threshold 0 and counts the events. Fails the
 * iteration if any get missed.
 *
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar benchmarks/target/benchmarks.jar VirtualThreadBenchmark \
 *     -jvmArgsAppend "-Dcachekit.bench.redis.port=6379 -XX:StartFlightRecording=filename=vt.jfr,jdk.VirtualThreadPinned#threshold=0ms"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Threads(1)
public class VirtualThreadBenchmark {

	static final int THREADS = AsyncBenchmark.IN_FLIGHT;

	/** The blocking face: {@code cachekit} is {@code RedisCacheBackend.get} with a typed JSON serializer. */
	@Param({ "cachekit" })
	public String impl;

	BenchCache cache;

	Keyspace keyspace;

	ExecutorService virtualThreads;

	int index;

	long failures;

	final Future<?>[] pending = new Future<?>[THREADS];

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.virtualThreads = VirtualThreads.newPerTaskExecutor();
		if (!this.virtualThreads.submit(() -> VirtualThreads.isVirtual(Thread.currentThread())).get()) {
			throw new IllegalStateException("the executor's threads are not virtual");
		}
		this.keyspace = new Keyspace(Payload.PRODUCT);
		this.cache = CacheType.of(this.impl).create(Payload.PRODUCT);
		this.keyspace.preload(this.cache);
		this.index = ThreadLocalRandom.current().nextInt(Keyspace.SIZE);
	}

	@TearDown(Level.Iteration)
	public void check() {
		if (this.failures > 0) {
			throw new IllegalStateException(this.failures + " gets missed: not a valid measurement");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.virtualThreads.shutdown();
		this.cache.close();
	}

	@Benchmark
	@OperationsPerInvocation(THREADS)
	public Object blockingGets1000() throws InterruptedException, ExecutionException {
		Future<?>[] futures = this.pending;
		String[] keys = this.keyspace.readKeys;
		BenchCache target = this.cache;
		int i0 = this.index;
		for (int i = 0; i < THREADS; i++) {
			String key = keys[(i0 + i) & Keyspace.MASK];
			futures[i] = this.virtualThreads.submit(() -> target.get(key));
		}
		this.index = (i0 + THREADS) & Keyspace.MASK;
		Object last = null;
		for (int i = 0; i < THREADS; i++) {
			Object value = futures[i].get();
			if (value == null) {
				this.failures++;
			}
			last = value;
			futures[i] = null;
		}
		return last;
	}

}
