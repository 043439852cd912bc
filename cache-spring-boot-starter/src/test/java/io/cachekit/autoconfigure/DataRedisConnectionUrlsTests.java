package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import io.cachekit.redis.internal.RedisUrls;

/** URLs made from Spring Boot's connection details. */
class DataRedisConnectionUrlsTests {

	private static DataRedisConnectionDetails standalone(@Nullable String host, String password) {
		return new DataRedisConnectionDetails() {

			@Override
			public String getPassword() {
				return password;
			}

			@Override
			public Standalone getStandalone() {
				return new Standalone() {

					@Override
					public String getHost() {
						return host;
					}

					@Override
					public int getPort() {
						return 6379;
					}

				};
			}

		};
	}

	@Test
	void reservedCharactersInThePasswordArePercentEncoded() {
		String url = DataRedisConnectionUrls.toUrl(standalone("h", "Hash#Slash/Query?At@Pct%"), false, "spring.data.redis").url();
		assertThat(url).isEqualTo("redis://:Hash%23Slash%2FQuery%3FAt%40Pct%25@h:6379/0");
		RedisUrls.validate(url, false);
		assertThat(RedisUrls.mask(url)).isEqualTo("redis://:****@h:6379/0");
	}

	@Test
	void noHostNamesTheUrlPropertyAndTheFix() {
		// what Spring Boot makes of spring.data.redis.url=redis://:Hash#Secr3t@h (java.net.URI: no host)
		Throwable ex = catchThrowable(() -> DataRedisConnectionUrls.toUrl(standalone(null, null), false, "spring.data.redis"));
		assertThat(ex).isInstanceOf(InvalidCacheKitConfigurationException.class).hasMessageContaining("%23");
		assertThat(((InvalidCacheKitConfigurationException) ex).getProperty()).isEqualTo("spring.data.redis.url");
	}

}
