package io.cachekit.benchmarks.support;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cachekit.benchmarks.client.BenchCache;
import io.cachekit.benchmarks.client.CacheType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Prints, as JSON, how many bytes each implementation stores for each payload (the value under
 * one key, read with STRLEN), so that the report can show that everyone stores the same data in
 * about the same form. Run by {@code benchmarks/run.sh}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.cachekit.benchmarks.support.PayloadSizes out.json}.
 */
public final class PayloadSizes {

	private PayloadSizes() {
	}

	public static void main(String[] args) throws IOException {
		StringBuilder json = new StringBuilder("{");
		RedisClient client = RedisClient.create(RedisURI.create(RedisEndpoint.HOST, RedisEndpoint.port()));
		try (StatefulRedisConnection<String, String> raw = client.connect()) {
			boolean first = true;
			// one of each stored format (the other variants store what these store)
			for (CacheType type : java.util.List.of(CacheType.CACHEKIT, CacheType.CACHEKIT_OBJECT, CacheType.LETTUCE,
					CacheType.SDR, CacheType.REDISSON)) {
				for (Payload payload : Payload.values()) {
					long size;
					try (BenchCache cache = type.create(payload)) {
						cache.set("size-probe", payload.value(7));
						long deadline = System.nanoTime() + 5_000_000_000L;
						while (cache.get("size-probe") == null && System.nanoTime() - deadline < 0) {
							Keyspace.sleep(10);
						}
						size = raw.sync().strlen(cache.redisKey("size-probe"));
					}
					json.append(first ? "" : ",").append("\n  \"").append(type.id()).append('/')
						.append(payload.name().toLowerCase(java.util.Locale.ROOT)).append("\": ").append(size);
					first = false;
				}
			}
		}
		finally {
			client.shutdown();
		}
		json.append("\n}\n");
		if (args.length > 0) {
			Files.writeString(Path.of(args[0]), json, StandardCharsets.UTF_8);
		}
		else {
			PrintStream out = System.out;
			out.print(json);
		}
	}

}
