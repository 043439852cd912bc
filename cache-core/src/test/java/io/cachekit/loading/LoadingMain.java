package io.cachekit.loading;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.cachekit.core.CacheBackend;
import io.cachekit.redis.RedisCacheBackend;

/**
 * A separate JVM for the cross-process tests: {@code url prefix key threads loadMillis leaseMillis}.
 * Prints {@code READY}, waits for a line on stdin, then runs {@code threads} callers of
 * {@code getOrLoad(key)} whose loader counts itself in Redis ({@code loads:key}), prints
 * {@code LOADING} and sleeps {@code loadMillis}; prints {@code DONE value...} when all answered.
 */
public final class LoadingMain {

	private LoadingMain() {
	}

	/**
	 * Runs the callers.
	 * @param args url, prefix, key, threads, loadMillis, leaseMillis
	 * @throws Exception when it fails
	 */
	public static void main(String[] args) throws Exception {
		String url = args[0];
		String prefix = args[1];
		String key = args[2];
		int threads = Integer.parseInt(args[3]);
		long loadMillis = Long.parseLong(args[4]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
		try (RedisCacheBackend<Object> backend = RedisCacheBackend.builder(url)
			.prefix(prefix)
			.commandTimeout(Duration.ofSeconds(2))
			.layer(LoadingLayer.of(LoadingSettings.defaults().withLeaseTime(lease)))
			.build()) {
			backend.initialize();
			CacheBackend<Object> counters = backend;
			System.out.println("READY");
			System.out.flush();
			new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
			CountDownLatch done = new CountDownLatch(threads);
			List<Object> answers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Thread thread = new Thread(() -> {
					Object value = backend.getOrLoad(key, () -> {
						counters.incr("loads:" + key, 1, 0, Duration.ofMinutes(1));
						System.out.println("LOADING");
						System.out.flush();
						Thread.sleep(loadMillis);
						return "from-" + ProcessHandle.current().pid();
					}, Duration.ofMinutes(1));
					synchronized (answers) {
						answers.add(value);
					}
					done.countDown();
				});
				thread.start();
			}
			done.await();
			System.out.println("DONE " + answers);
			System.out.flush();
		}
	}

}
