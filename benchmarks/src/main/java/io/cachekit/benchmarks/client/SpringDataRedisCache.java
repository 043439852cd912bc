package io.cachekit.benchmarks.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;

/**
 * Spring Data Redis 4: a {@link RedisCache} from a {@link RedisCacheManager} on a
 * {@link LettuceConnectionFactory} with its default client configuration, values written by
 * {@link GenericJacksonJsonRedisSerializer} (the Jackson 3 one) with default typing restricted to
 * the payload's package and {@code java.util}, TTL set by {@code entryTtl}. Two cache writers:
 * <ul>
 * <li>{@code sdr}: {@code RedisCacheWriter.nonLockingRedisCacheWriter(factory)}, the default:
 * with Lettuce, {@code put} is <b>asynchronous</b> (sent through the reactive connection and not
 * awaited; a get right after may not see it);</li>
 * <li>{@code sdr-immediate}: {@code RedisCacheWriter.create(factory, c -> c.immediateWrites())}:
 * {@code put} waits for Redis' answer, as CacheKit's {@code set} does.</li>
 * </ul>
 * Reads are the same in both. {@link #getMany} has no counterpart in Spring's cache API.
 */
final class SpringDataRedisCache implements BenchCache {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisCache cache;

	private final String prefix;

	SpringDataRedisCache(String host, int port, String cacheName, boolean immediateWrites) {
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		RedisCacheWriter writer = immediateWrites
				? RedisCacheWriter.create(this.connectionFactory, (configurer) -> configurer.immediateWrites())
				: RedisCacheWriter.nonLockingRedisCacheWriter(this.connectionFactory);
		RedisCacheManager manager = RedisCacheManager.builder(writer).cacheDefaults(SpringCacheConfigurations.json(TTL)).build();
		manager.afterPropertiesSet();
		this.cache = (RedisCache) manager.getCache(cacheName);
		this.prefix = this.cache.getCacheConfiguration().getKeyPrefixFor(cacheName);
	}

	@Override
	public Object get(String key) {
		ValueWrapper wrapper = this.cache.get(key);
		return (wrapper != null) ? wrapper.get() : null;
	}

	@Override
	public boolean set(String key, Object value) {
		this.cache.put(key, value);
		return true;
	}

	@Override
	public Map<String, Object> getMany(List<String> keys) {
		throw new UnsupportedOperationException("Spring's Cache has no multi-get");
	}

	@Override
	public CompletableFuture<?> getAsync(String key) {
		return this.cache.retrieve(key);
	}

	@Override
	public String redisKey(String key) {
		return this.prefix + key;
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
