package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.RedisSerializer;

import io.cachekit.core.CacheSerializationException;
import io.cachekit.core.CacheSerializer;

/**
 * Spring Data Redis is optional for the starter; when the application has it (as this module's
 * tests do), its serializers still plug in as value serializers.
 */
class RedisSerializerAdapterTests {

	@Test
	void adaptsASpringDataRedisSerializer() {
		CacheSerializer<String> serializer = RedisSerializerAdapter.of(RedisSerializer.string());
		assertThat(serializer.serialize("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
		assertThat(serializer.deserialize("héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
	}

	@Test
	void unreadableBytesAreASerializationException() {
		CacheSerializer<Object> serializer = RedisSerializerAdapter.of(RedisSerializer.java());
		assertThatExceptionOfType(CacheSerializationException.class)
			.isThrownBy(() -> serializer.deserialize(new byte[] { 1, 2, 3 }));
	}

}
