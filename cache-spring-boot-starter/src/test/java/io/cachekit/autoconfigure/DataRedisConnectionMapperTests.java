package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import io.cachekit.redis.RedisCacheBackend;

/** Connections mapped from Spring Boot's connection details, without a URL in between. */
class DataRedisConnectionMapperTests {

	private static final String PASSWORD = "Hash#Slash/Query?At@Pct%";

	private static DataRedisConnectionDetails standalone(@Nullable String host, @Nullable String password) {
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
	void reservedCharactersInThePasswordNeedNoEncoding() {
		Connections.Resolved resolved = DataRedisConnectionMapper.toConnection(standalone("h", PASSWORD), false,
				"spring.data.redis");
		assertThat(resolved.toString()).isEqualTo("Resolved[redis://:****@h:6379/0, from spring.data.redis]");
		try (RedisCacheBackend<Object> backend = RedisCacheBackend.builder(resolved.connection()).build()) {
			assertThat(backend.getTarget()).isEqualTo("redis://:****@h:6379/0").doesNotContain("Hash");
		}
	}

	@Test
	void aSentinelPasswordIsNeverShown() {
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {
			@Override
			public String getPassword() {
				return PASSWORD;
			}

			@Override
			public Sentinel getSentinel() {
				return new Sentinel() {
					@Override
					public int getDatabase() {
						return 1;
					}

					@Override
					public String getMaster() {
						return "mymaster";
					}

					@Override
					public List<Node> getNodes() {
						return List.of(new Node("::1", 26379), new Node("s2", 26380));
					}

					@Override
					public String getUsername() {
						return "sentinel-user";
					}

					@Override
					public String getPassword() {
						return "s3ntinel-" + PASSWORD;
					}
				};
			}
		};
		Connections.Resolved resolved = DataRedisConnectionMapper.toConnection(details, false, "spring.data.redis");
		assertThat(resolved.toString())
			.isEqualTo("Resolved[redis-sentinel://:****@[::1]:26379,s2:26380/1#mymaster, from spring.data.redis.sentinel]");
	}

	@Test
	void noHostNamesTheUrlPropertyAndTheFix() {
		// what Spring Boot makes of spring.data.redis.url=redis://:Hash#Secr3t@h (java.net.URI: no host)
		Throwable ex = catchThrowable(() -> DataRedisConnectionMapper.toConnection(standalone(null, null), false, "spring.data.redis"));
		assertThat(ex).isInstanceOf(InvalidCacheKitConfigurationException.class).hasMessageContaining("%23");
		assertThat(((InvalidCacheKitConfigurationException) ex).getProperty()).isEqualTo("spring.data.redis.url");
	}

}
