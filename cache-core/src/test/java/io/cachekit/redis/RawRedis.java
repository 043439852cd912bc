package io.cachekit.redis;

import java.util.Arrays;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/** Direct access to the test server, bypassing the backend: to plant and inspect raw keys. */
final class RawRedis implements AutoCloseable {

	private static final io.lettuce.core.codec.RedisCodec<String, byte[]> CODEC = io.lettuce.core.codec.RedisCodec
		.of(io.lettuce.core.codec.StringCodec.UTF8, io.lettuce.core.codec.ByteArrayCodec.INSTANCE);

	private final AbstractRedisClient client;

	private final StatefulConnection<String, byte[]> connection;

	final RedisClusterCommands<String, byte[]> commands;

	private RawRedis(String url) {
		if (url.contains(",") && !url.startsWith("redis-sentinel:")) {
			String hosts = url.substring("redis://".length());
			List<RedisURI> seeds = Arrays.stream(hosts.split(",")).map((h) -> RedisURI.create("redis://" + h)).toList();
			RedisClusterClient cluster = RedisClusterClient.create(seeds);
			StatefulRedisClusterConnection<String, byte[]> conn = cluster.connect(CODEC);
			this.client = cluster;
			this.connection = conn;
			this.commands = conn.sync();
		}
		else {
			RedisClient standalone = RedisClient.create(url);
			StatefulRedisConnection<String, byte[]> conn = standalone.connect(CODEC);
			this.client = standalone;
			this.connection = conn;
			this.commands = conn.sync();
		}
	}

	static RawRedis open(String url) {
		return new RawRedis(url);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
