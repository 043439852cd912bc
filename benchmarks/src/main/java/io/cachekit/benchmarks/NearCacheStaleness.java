package io.cachekit.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.cachekit.benchmarks.near.NearClient;
import io.cachekit.benchmarks.near.RawWriter;
import io.cachekit.benchmarks.near.Workload;
import io.cachekit.benchmarks.near.WorkloadRun;
import io.cachekit.benchmarks.support.RedisEndpoint;

/**
 * The staleness window of a near cache: another client (a plain Lettuce connection) overwrites a
 * key the near cache holds; the time from that write's acknowledgement to the first read of the
 * client under test that no longer answers the old value, over many writes (one thread reading
 * in a loop). A window not closed within {@link #GIVE_UP} is counted as never closed (Redisson's
 * local cache hears only writes made through Redisson), and a client that misses
 * {@link #GIVE_UP_AFTER} such writes is not sampled further.
 *
 * <p>Run (run.sh does), for each client given (default {@code near,near-broadcast,lettuce-csc,redisson-local}),
 * writing the samples' percentiles to a JSON file:
 * <pre>
 * java -Dcachekit.bench.redis.port=6379 -cp benchmarks/target/benchmarks.jar \
 *     io.cachekit.benchmarks.NearCacheStaleness staleness.json 2000 near,lettuce-csc
 * </pre>
 */
public final class NearCacheStaleness {

	static final Duration GIVE_UP = Duration.ofMillis(500);

	static final int GIVE_UP_AFTER = 5;

	private static final int KEYS = 1_000;

	private NearCacheStaleness() {
	}

	public static void main(String[] args) throws IOException {
		Path out = Path.of((args.length > 0) ? args[0] : "staleness.json");
		int samples = (args.length > 1) ? Integer.parseInt(args[1]) : 2_000;
		List<String> impls = List.of(((args.length > 2) ? args[2] : "near,near-broadcast,lettuce-csc,redisson-local").split(","));
		List<String> results = new ArrayList<>();
		for (String impl : impls) {
			String line = measure(impl, samples);
			System.out.println(line);
			results.add(line);
		}
		Files.writeString(out, "[\n" + String.join(",\n", results) + "\n]\n", StandardCharsets.UTF_8);
	}

	/** One JSON object: the client, how many samples, how many never closed, percentiles in microseconds. */
	private static String measure(String impl, int samples) {
		Workload workload = Workload.ZIPF99;
		String url = RedisEndpoint.url();
		long[] micros = new long[samples];
		int taken = 0;
		int neverClosed = 0;
		try (WorkloadRun run = WorkloadRun.start(impl, url, workload); RawWriter writer = new RawWriter(url, impl, workload)) {
			NearClient client = run.client();
			for (int i = 0; i < samples && neverClosed < GIVE_UP_AFTER; i++) {
				String key = workload.key(i % KEYS);
				String old = "old" + i;
				writer.write(key, old);
				if (!awaitValue(client, key, old)) {
					// the client never saw the first write: it hears no other client's writes
					neverClosed++;
					continue;
				}
				client.get(key); // held now: this read is answered near
				writer.write(key, "new" + i);
				long acknowledged = System.nanoTime();
				long window = awaitNot(client, key, old, acknowledged);
				if (window < 0) {
					neverClosed++;
				}
				else {
					micros[taken++] = window / 1_000;
				}
			}
			// put back what the workloads read
			for (int i = 0; i < KEYS; i++) {
				writer.write(workload.key(i), "v".repeat(workload.valueBytes()));
			}
		}
		long[] sorted = Arrays.copyOf(micros, taken);
		Arrays.sort(sorted);
		return String.format(Locale.ROOT,
				"  {\"impl\": \"%s\", \"samples\": %d, \"neverClosed\": %d, \"giveUpMillis\": %d, \"p50Micros\": %d, \"p90Micros\": %d, \"p99Micros\": %d, \"maxMicros\": %d}",
				impl, taken + neverClosed, neverClosed, GIVE_UP.toMillis(), percentile(sorted, 0.50),
				percentile(sorted, 0.90), percentile(sorted, 0.99), percentile(sorted, 1.0));
	}

	/** Reads until the client answers {@code expected}; {@code false} when it did not within {@link #GIVE_UP}. */
	private static boolean awaitValue(NearClient client, String key, String expected) {
		long deadline = System.nanoTime() + GIVE_UP.toNanos();
		while (!expected.equals(client.get(key))) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
		}
		return true;
	}

	/** Nanoseconds from {@code since} until a read answers something else than {@code old}; -1 past {@link #GIVE_UP}. */
	private static long awaitNot(NearClient client, String key, String old, long since) {
		long deadline = since + GIVE_UP.toNanos();
		while (old.equals(client.get(key))) {
			if (System.nanoTime() - deadline > 0) {
				return -1;
			}
		}
		return System.nanoTime() - since;
	}

	private static long percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return -1;
		}
		return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
	}

}
