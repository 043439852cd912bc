package io.cachekit.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.cachekit.redis.RedisUrls;

/**
 * Masks the password of Redis URLs, and CacheKit's password properties, in {@code /actuator/env}
 * and {@code /actuator/configprops}, even where an application shows property values.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class CacheKitEndpointSanitizingAutoConfiguration {

	@Bean
	SanitizingFunction cacheKitRedisUrlSanitizingFunction() {
		return (data) -> {
			if (data.getValue() == null) {
				return data;
			}
			String key = data.getLowerCaseKey();
			if (key.startsWith("app.cache.") && key.endsWith("password")) {
				return data.withSanitizedValue();
			}
			if (data.getValue() instanceof CharSequence value && isRedisUrl(data, value.toString())) {
				return data.withValue(RedisUrls.mask(value.toString()));
			}
			return data;
		};
	}

	private static boolean isRedisUrl(SanitizableData data, String value) {
		String key = data.getLowerCaseKey();
		return value.contains("@") && (key.endsWith("redis-url") || key.endsWith("redisurl") || key.endsWith("redis.url")
				|| value.startsWith("redis") || value.startsWith("rediss"));
	}

}
