package io.cachekit.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.cachekit.redis.RedisConnection;

/**
 * Masks URL credentials in {@code /actuator/env} and {@code /actuator/configprops}, even where an
 * application shows property values: in every string value, whatever its key (a Redis URL in
 * {@code app.cache.redis-url} or {@code spring.data.redis.url}, the command line in
 * {@code sun.java.command}, the JSON of {@code SPRING_APPLICATION_JSON}, an application's own
 * {@code foo.url}), every {@code scheme://user-info@} has its password masked, and a value whose
 * URLs cannot be delimited safely is masked whole (see {@link RedisConnection#maskText(String)}).
 * Properties whose name ends with {@code password} are masked whole.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class CacheKitEndpointSanitizingAutoConfiguration {

	@Bean
	SanitizingFunction cacheKitUrlCredentialsSanitizingFunction() {
		return CacheKitEndpointSanitizingAutoConfiguration::sanitize;
	}

	static SanitizableData sanitize(SanitizableData data) {
		Object value = data.getValue();
		if (value == null) {
			return data;
		}
		if (data.getLowerCaseKey().endsWith("password")) {
			return data.withSanitizedValue();
		}
		if (value instanceof CharSequence text) {
			String shown = text.toString();
			String masked = RedisConnection.maskText(shown);
			return masked.equals(shown) ? data : data.withValue(masked);
		}
		// not text: what it shows cannot be masked in part, so it is hidden when it may hold a credential
		String shown = String.valueOf(value);
		return RedisConnection.maskText(shown).equals(shown) ? data : data.withSanitizedValue();
	}

}
