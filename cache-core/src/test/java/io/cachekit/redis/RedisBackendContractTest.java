package io.cachekit.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.cachekit.contract.CacheBackendContractTest;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;
import io.lettuce.core.resource.ClientResources;

/**
 * The contract suite on a real Redis: {@link RedisCacheBackend} under test, and the suite's raw
 * hooks answered by direct Redis commands. Subclasses choose the server (standalone, cluster).
 */
abstract class RedisBackendContractTest extends CacheBackendContractTest {

	private static ClientResources resources;

	protected RawRedis raw;

	/** The server to test against. */
	protected abstract String redisUrl();

	@BeforeAll
	static void sharedResources() {
		resources = ClientResources.create();
	}

	@AfterAll
	static void closeResources() {
		resources.shutdown().awaitUninterruptibly();
	}

	@BeforeEach
	void openRaw() {
		this.raw = RawRedis.open(redisUrl());
	}

	@AfterEach
	void closeRaw() {
		this.raw.close();
	}

	@Override
	protected CacheBackend<Object> newBackend(String keyPrefix) {
		RedisCacheBackendBuilder<Object> created = RedisCacheBackend.builder(redisUrl())
			.serializer(CacheSerializers.json(List.of("io.cachekit.fixtures")))
			.prefix(keyPrefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_FAST)
			.commandTimeout(Duration.ofSeconds(2))
			.clientResources(resources);
		RedisCacheBackend<Object> backend = customize(created).build();
		backend.initialize();
		return backend;
	}

	/** Adjusts the builder of every backend under test (layers, ...). */
	protected RedisCacheBackendBuilder<Object> customize(RedisCacheBackendBuilder<Object> builder) {
		return builder;
	}

	@Override
	protected void closeBackend(CacheBackend<Object> backend) {
		((RedisCacheBackend<Object>) backend).shutdown();
	}

	@Override
	protected <V> CacheBackend<V> withSerializer(CacheBackend<Object> backend, CacheSerializer<V> serializer) {
		return ((RedisCacheBackend<Object>) backend).withSerializer(serializer);
	}

	@Override
	protected long rawTtl(String rawKey) {
		return this.raw.commands.pttl(rawKey);
	}

	@Override
	protected boolean rawExists(String rawKey) {
		return this.raw.commands.exists(rawKey) == 1;
	}

	@Override
	protected byte[] rawGet(String rawKey) {
		return this.raw.commands.get(rawKey);
	}

	@Override
	protected void plantRaw(String rawKey, byte[] value) {
		this.raw.commands.set(rawKey, value);
	}

	@Override
	protected void deleteRaw(String... rawKeys) {
		this.raw.commands.del(rawKeys);
	}

}
