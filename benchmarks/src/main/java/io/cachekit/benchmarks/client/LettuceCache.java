package io.cachekit.benchmarks.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor: raw Lettuce with its default client options (which bound every command with a
 * timer at the URI's timeout, 60 s), one
 * {@code StatefulRedisConnection<String, byte[]>}, and Jackson 3 serialization done here with an
 * {@code ObjectReader}/{@code ObjectWriter} for the payload type (plain JSON, no type metadata).
 * No failure handling, no metrics, no key validation: what any Lettuce-based library costs at
 * least. Three ways to wait for a blocking call ({@link Wait}):
 * <ul>
 * <li>{@code lettuce} (the floor): {@code async().get(k).thenApply(decode)} awaited with a timed
 * {@code get}, so the reply is decoded on Lettuce's I/O thread before the caller wakes up: the
 * cheapest of the three here, and the same structure as CacheKit's blocking face;</li>
 * <li>{@code lettuce-sync}: {@code sync().get(k)}, decoded by the caller: how most code uses
 * Lettuce;</li>
 * <li>{@code lettuce-callerdecode} (diagnostic): {@code async().get(k)} awaited, decoded by the
 * caller.</li>
 * </ul>
 */
final class LettuceCache implements BenchCache {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final RedisClient client;

	private final StatefulRedisConnection<String, byte[]> connection;

	private final RedisCommands<String, byte[]> sync;

	private final RedisAsyncCommands<String, byte[]> async;

	private final ObjectReader reader;

	private final ObjectWriter writer;

	private final String prefix;

	private final long ttlMillis = TTL.toMillis();

	/** How a blocking call waits. */
	enum Wait {
		/** {@code connection.sync()}: Lettuce's synchronous API, decoded by the caller. */
		SYNC_API,
		/** {@code connection.async().get(k).get(timeout)}, decoded by the caller. */
		AWAIT_FUTURE,
		/** {@code connection.async().get(k).thenApply(decode).get(timeout)}: decoded on the I/O thread. */
		AWAIT_DECODED
	}

	private final Wait wait;

	LettuceCache(String host, int port, String prefix, Class<?> type, Wait wait) {
		this.wait = wait;
		this.prefix = prefix;
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		this.sync = this.connection.sync();
		this.async = this.connection.async();
		this.reader = MAPPER.readerFor(type);
		this.writer = MAPPER.writerFor(type);
	}

	private Object decode(byte[] bytes) {
		return (bytes != null) ? this.reader.readValue(bytes) : null;
	}

	@Override
	public Object get(String key) {
		switch (this.wait) {
			case AWAIT_FUTURE:
				return decode(await(this.async.get(this.prefix + key)));
			case AWAIT_DECODED:
				return await(this.async.get(this.prefix + key).thenApply(this::decode).toCompletableFuture());
			default:
				return decode(this.sync.get(this.prefix + key));
		}
	}

	@Override
	public boolean set(String key, Object value) {
		byte[] bytes = this.writer.writeValueAsBytes(value);
		if (this.wait != Wait.SYNC_API) {
			return "OK".equals(await(this.async.set(this.prefix + key, bytes, SetArgs.Builder.px(this.ttlMillis))));
		}
		return "OK".equals(this.sync.set(this.prefix + key, bytes, SetArgs.Builder.px(this.ttlMillis)));
	}

	/** Waits as Lettuce's sync API does (a timed get), without its proxy. */
	private static <T> T await(java.util.concurrent.Future<T> future) {
		try {
			return future.get(60, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public Map<String, Object> getMany(List<String> keys) {
		String[] redisKeys = new String[keys.size()];
		for (int i = 0; i < redisKeys.length; i++) {
			redisKeys[i] = this.prefix + keys.get(i);
		}
		switch (this.wait) {
			case AWAIT_DECODED:
				return await(this.async.mget(redisKeys).thenApply(this::decodeAll).toCompletableFuture());
			case AWAIT_FUTURE:
				return decodeAll(await(this.async.mget(redisKeys)));
			default:
				return decodeAll(this.sync.mget(redisKeys));
		}
	}

	private Map<String, Object> decodeAll(List<KeyValue<String, byte[]>> values) {
		Map<String, Object> found = new LinkedHashMap<>(values.size() * 2);
		int p = this.prefix.length();
		for (KeyValue<String, byte[]> kv : values) {
			if (kv.hasValue()) {
				found.put(kv.getKey().substring(p), decode(kv.getValue()));
			}
		}
		return found;
	}

	@Override
	public CompletableFuture<?> getAsync(String key) {
		// decoded on the I/O thread, as CacheKit's async face does
		return this.async.get(this.prefix + key).thenApply(this::decode).toCompletableFuture();
	}

	@Override
	public String redisKey(String key) {
		return this.prefix + key;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
