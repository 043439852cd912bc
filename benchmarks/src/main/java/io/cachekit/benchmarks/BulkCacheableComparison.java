package io.cachekit.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@link BulkCacheableBenchmark}'s two ways side by side, interleaved: each round times one
 * {@code bulk} call and one {@code loop} of 100 calls back to back (the misses deleted before each,
 * outside the timing), so a change in the machine's load between JMH's runs of one and of the
 * other does not enter their ratio. Prints, per payload and hit ratio, the median time of each and
 * the median and quartiles of the per-round ratio {@code loop / bulk}, and the median time of the
 * backend's own {@code getMany} of the 100 entries right after the loop (all cached then): the
 * floor of any bulk read.
 *
 * <p>Run (after JMH's warm-up rounds here, 200 measured rounds per case by default):
 * <pre>
 * java -Dcachekit.bench.redis.port=6379 -cp benchmarks/target/benchmarks.jar \
 *     io.cachekit.benchmarks.BulkCacheableComparison [rounds]
 * </pre>
 */
public final class BulkCacheableComparison {

	private BulkCacheableComparison() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		System.out.println("| payload | hits | bulk (median) | loop of 100 @Cacheable (median) | loop ÷ bulk, median of rounds | p25 – p75 | getMany floor (median) |");
		System.out.println("|---|---:|---:|---:|---:|---|---:|");
		for (String payload : List.of("product", "string")) {
			for (int hits : List.of(0, 50, 100)) {
				BulkCacheableBenchmark bench = new BulkCacheableBenchmark();
				bench.payload = payload;
				bench.hits = hits;
				bench.setUp();
				try {
					row(bench, rounds);
				}
				finally {
					bench.tearDown();
				}
			}
		}
	}

	private static void row(BulkCacheableBenchmark bench, int rounds) {
		List<Long> bulk = new ArrayList<>();
		List<Long> loop = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		List<Long> floor = new ArrayList<>();
		org.openjdk.jmh.infra.Blackhole blackhole = new org.openjdk.jmh.infra.Blackhole(
				"Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
		int warmup = Math.max(20, rounds / 5);
		bench.resetCounts();
		for (int i = 0; i < warmup + rounds; i++) {
			bench.evictMisses();
			long t0 = System.nanoTime();
			bench.bulk();
			long t1 = System.nanoTime();
			bench.evictMisses();
			long t2 = System.nanoTime();
			bench.loop(blackhole);
			long t3 = System.nanoTime();
			bench.getMany();
			long t4 = System.nanoTime();
			if (i >= warmup) {
				floor.add(t4 - t3);
				bulk.add(t1 - t0);
				loop.add(t3 - t2);
				ratios.add((double) (t3 - t2) / (t1 - t0));
			}
		}
		bench.checkHitRatio();
		Collections.sort(bulk);
		Collections.sort(loop);
		Collections.sort(ratios);
		Collections.sort(floor);
		// the floor reads what the loop left cached: every id, whatever the hit ratio
		System.out.println(String.format(Locale.ROOT, "| %s | %d %% | %,.0f µs | %,.0f µs | %.1f× | %.1f× – %.1f× | %,.0f µs |",
				bench.payload, bench.hits, bulk.get(bulk.size() / 2) / 1e3, loop.get(loop.size() / 2) / 1e3,
				ratios.get(ratios.size() / 2), ratios.get(ratios.size() / 4), ratios.get(ratios.size() * 3 / 4),
				floor.get(floor.size() / 2) / 1e3));
	}

}
