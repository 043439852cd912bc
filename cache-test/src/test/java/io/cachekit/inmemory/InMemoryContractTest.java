package io.cachekit.inmemory;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.cachekit.contract.CacheBackendContractTest;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.CacheSerializers;

/**
 * cache-core's whole contract suite, through both faces, on the in-memory backend (the engine
 * level assembled through the layer seam, no layer over it): the raw hooks look at the
 * {@link InMemoryStore} that every backend of the class shares, as the Redis subclasses look at
 * the server.
 */
class InMemoryContractTest extends CacheBackendContractTest {

	private static final InMemoryStore store = new InMemoryStore();

	@Override
	protected CacheBackend<Object> newBackend(String keyPrefix) {
		return builder(keyPrefix).build();
	}

	/** The builder of {@link #newBackend(String)}: the engine alone, through the seam. */
	protected InMemoryCacheBackendBuilder<Object> builder(String keyPrefix) {
		return InMemoryCacheBackend.builder()
			.serializer(CacheSerializers.json(List.of("io.cachekit.fixtures")))
			.prefix(keyPrefix)
			.defaultTtl(Duration.ofHours(1))
			.failureMode(FailureMode.FAIL_FAST)
			.store(store);
	}

	@Override
	protected void closeBackend(CacheBackend<Object> backend) {
		// nothing to close
	}

	@Override
	protected <V> CacheBackend<V> withSerializer(CacheBackend<Object> backend, CacheSerializer<V> serializer) {
		return ((InMemoryCacheBackend<Object>) backend).withSerializer(serializer);
	}

	@Override
	protected long rawTtl(String rawKey) {
		if (!store.contains(rawKey)) {
			return -2;
		}
		return store.ttl(rawKey).map(Duration::toMillis).orElse(-1L);
	}

	@Override
	protected boolean rawExists(String rawKey) {
		return store.contains(rawKey);
	}

	@Override
	protected byte @Nullable [] rawGet(String rawKey) {
		return store.getBytes(rawKey).orElse(null);
	}

	@Override
	protected void plantRaw(String rawKey, byte[] value) {
		store.putBytes(rawKey, value);
	}

	@Override
	protected void deleteRaw(String... rawKeys) {
		for (String key : rawKeys) {
			store.remove(key);
		}
	}

}
