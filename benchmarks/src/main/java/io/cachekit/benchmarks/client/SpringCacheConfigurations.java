package io.cachekit.benchmarks.client;

import java.time.Duration;

import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/** The Spring Data Redis cache configuration every Spring-side benchmark uses. */
public final class SpringCacheConfigurations {

	private SpringCacheConfigurations() {
	}

	/**
	 * {@code RedisCacheConfiguration.defaultCacheConfig()} with {@code ttl} and JSON values through
	 * {@link GenericJacksonJsonRedisSerializer} (Jackson 3), default typing restricted to the
	 * benchmark's package, {@code java.util} and {@code java.lang} (a {@code RedisCache} holds
	 * {@code Object}s, so it must record each value's class to read it back).
	 */
	public static RedisCacheConfiguration json(Duration ttl) {
		GenericJacksonJsonRedisSerializer serializer = GenericJacksonJsonRedisSerializer.builder()
			.enableSpringCacheNullValueSupport()
			.enableDefaultTyping(BasicPolymorphicTypeValidator.builder()
				.allowIfSubType("io.cachekit.benchmarks.")
				.allowIfSubType("java.util.")
				.allowIfSubType("java.lang.")
				.build())
			.build();
		return RedisCacheConfiguration.defaultCacheConfig()
			.entryTtl(ttl)
			.serializeValuesWith(SerializationPair.fromSerializer(serializer));
	}

}
