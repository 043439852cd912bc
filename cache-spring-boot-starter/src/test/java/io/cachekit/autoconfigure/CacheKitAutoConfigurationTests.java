package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;
import io.cachekit.core.serialization.internal.NamedSerializers;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.spring.CacheKitLifecycle;
import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;

class CacheKitAutoConfigurationTests {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
		.withPropertyValues("app.cache.redis-url=" + redis.url());

	@Test
	void defaultsCreateAFailOpenBackendInjectableAsCacheBackend() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisCacheBackend.class)
				.hasSingleBean(CacheBackend.class)
				.hasSingleBean(CacheKitLifecycle.class)
				.hasSingleBean(CacheSerializer.class);
			RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
			assertThat(backend.getPrefix()).isEqualTo("cache:");
			assertThat(backend.getFailureMode()).isEqualTo(FailureMode.FAIL_OPEN);
			assertThat(backend.getCommandTimeout()).isEqualTo(Duration.ofMillis(500));
			assertThat(backend.getDefaultTtl()).isEqualTo(Duration.ofHours(1));
			assertThat(backend.isRunning()).as("started by the lifecycle").isTrue();
			@SuppressWarnings("unchecked")
			CacheBackend<Object> cache = context.getBean(CacheBackend.class);
			assertThat(cache.set("k", "v")).isTrue();
			assertThat(Resp.call("127.0.0.1", redis.process().port(), "EXISTS", "cache:k")).isEqualTo(1L);
			cache.delete("k");
		});
	}

	@Test
	void redisUrlDefaultsToLocalhost() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.connect-timeout=100ms")
			.run((context) -> assertThat(context.getBean(RedisCacheBackend.class).getTarget())
				.isEqualTo("redis://localhost:6379/0"));
	}

	@Test
	void everyPropertyIsApplied() {
		this.contextRunner
			.withPropertyValues("app.cache.prefix=shop:", "app.cache.default-ttl=90s", "app.cache.failure-mode=fail-fast",
					"app.cache.timeout=750ms", "app.cache.serializer=string", "app.cache.redis-options.client-name=shop-cache",
					"app.cache.circuit-breaker.failure-threshold=0")
			.run((context) -> {
				RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
				assertThat(backend.getPrefix()).isEqualTo("shop:");
				assertThat(backend.getDefaultTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(backend.getFailureMode()).isEqualTo(FailureMode.FAIL_FAST);
				assertThat(backend.getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				cache.set("s", "plain");
				assertThat(Resp.call("127.0.0.1", redis.process().port(), "GET", "shop:s")).isEqualTo("plain");
				assertThat((Long) Resp.call("127.0.0.1", redis.process().port(), "PTTL", "shop:s")).isBetween(89_000L, 90_000L);
				assertThat((String) Resp.call("127.0.0.1", redis.process().port(), "CLIENT", "LIST")).contains("name=shop-cache");
				cache.delete("s");
			});
	}

	@Test
	void deleteUnreadableEntriesCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("app.cache.delete-unreadable-entries=false").run((context) -> {
			Resp.call("127.0.0.1", redis.process().port(), "SET", "cache:junk", "{not json");
			@SuppressWarnings("unchecked")
			CacheBackend<Object> cache = context.getBean(CacheBackend.class);
			assertThat(cache.get("junk")).isEmpty();
			assertThat(Resp.call("127.0.0.1", redis.process().port(), "EXISTS", "cache:junk")).isEqualTo(1L);
			cache.delete("junk");
		});
	}

	@Test
	void jdkSerializerAdmitsTheTrustedPackagesOnly() {
		this.contextRunner.withPropertyValues("app.cache.serializer=jdk", "app.cache.json.trusted-packages=java.net")
			.run((context) -> {
				@SuppressWarnings("unchecked")
				CacheBackend<Object> cache = context.getBean(CacheBackend.class);
				java.net.URI uri = java.net.URI.create("https://example.org");
				assertThat(cache.set("uri", uri)).isTrue();
				assertThat(cache.get("uri")).contains(uri);
				assertThat(cache.set("untrusted", new java.util.concurrent.atomic.AtomicInteger(1))).isTrue();
				assertThat(cache.get("untrusted")).as("java.util.concurrent.atomic is not admitted").isEmpty();
			});
	}

	@Test
	void userCacheBackendBacksOff() {
		this.contextRunner.withUserConfiguration(UserBackendConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheBackend.class);
			assertThat(context.getBean(CacheBackend.class)).isSameAs(context.getBean("userBackend"));
			assertThat(context.getBean(RedisCacheBackend.class).getPrefix()).isEqualTo("user:");
			assertThat(context.getBean(RedisCacheBackend.class).isRunning()).as("lifecycle manages user backends too")
				.isTrue();
		});
	}

	@Test
	void userSerializerIsUsed() {
		this.contextRunner.withUserConfiguration(UserSerializerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CacheSerializer.class);
			@SuppressWarnings("unchecked")
			CacheBackend<Object> cache = context.getBean(CacheBackend.class);
			cache.set("u", "x");
			assertThat(Resp.call("127.0.0.1", redis.process().port(), "GET", "cache:u")).isEqualTo("X");
			cache.delete("u");
		});
	}

	@Test
	void disabledCreatesNothing() {
		this.contextRunner.withPropertyValues("app.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheBackend.class)
				.doesNotHaveBean(CacheKitLifecycle.class)
				.doesNotHaveBean(CacheKitProperties.class));
	}

	@Test
	void runWithoutLettuceCreatesNothing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(CacheBackend.class));
	}

	@Test
	void malformedRedisUrlFailsStartupNamingThePropertyWithoutThePassword() {
		this.contextRunner.withPropertyValues("app.cache.redis-url=redis://app:hunter2@localhost:notaport")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new CacheKitFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("app.cache.redis-url", "app:****@localhost")
					.doesNotContain("hunter2");
				assertThat(analysis.getAction()).contains("app.cache.redis-url");
			});
	}

	@Test
	void negativeTtlFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("app.cache.default-ttl=-5s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new CacheKitFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("app.cache.default-ttl", "must not be negative");
		});
	}

	@Test
	void unknownSerializerFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("app.cache.serializer=pickle").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("app.cache.serializer");
		});
	}

	@Test
	void failFastWithRedisDownFailsStartupWithAnActionableMessage() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=redis://127.0.0.1:1", "app.cache.failure-mode=fail-fast",
					"app.cache.connect-timeout=200ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new CacheKitConnectionFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("redis://127.0.0.1:1");
				assertThat(analysis.getAction()).contains("app.cache.failure-mode=fail-open");
			});
	}

	@Test
	void connectionDetailsAreUsedWhenNoUrlIsSet() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
				@Override
				public String getPassword() {
					return "p@ss word";
				}

				@Override
				public Standalone getStandalone() {
					return Standalone.of("127.0.0.1", redis.process().port(), 3);
				}
			})
			.run((context) -> assertThat(context.getBean(RedisCacheBackend.class).getTarget())
				.isEqualTo("redis://:****@127.0.0.1:" + redis.process().port() + "/3"));
	}

	@Test
	void springDataRedisPropertiesAreUsedWhenNoUrlIsSet() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.process().port(),
					"spring.data.redis.database=2")
			.run((context) -> {
				RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
				assertThat(backend.getTarget()).isEqualTo("redis://127.0.0.1:" + redis.process().port() + "/2");
				assertThat(backend.ping()).isTrue();
				assertThat(context).hasSingleBean(ClientResources.class);
			});
	}

	@Test
	void aServiceConnectionWinsOverAConfiguredRedisUrl() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=redis://127.0.0.1:1/0", "spring.data.redis.port=1")
			.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
				@Override
				public Standalone getStandalone() {
					return Standalone.of("127.0.0.1", redis.process().port(), 4);
				}
			})
			.run((context) -> {
				RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
				assertThat(backend.getTarget()).isEqualTo("redis://127.0.0.1:" + redis.process().port() + "/4");
				assertThat(backend.ping()).isTrue();
			});
	}

	@Test
	void aConfiguredRedisUrlWinsOverSpringDataRedisProperties() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=" + redis.url(), "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=1")
			.run((context) -> {
				RedisCacheBackend<?> backend = context.getBean(RedisCacheBackend.class);
				assertThat(backend.getTarget()).isEqualTo(redis.url());
				assertThat(backend.ping()).isTrue();
			});
	}

	@Test
	void sentinelAndClusterServiceConnectionsAreHonoured() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CacheKitAutoConfiguration.class))
			.withPropertyValues("app.cache.redis-url=redis://127.0.0.1:1/0", "app.cache.connect-timeout=100ms");
		runner.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
			@Override
			public Sentinel getSentinel() {
				return sentinel("mymaster", 2, List.of(new Node("127.0.0.1", 1), new Node("127.0.0.1", 2)));
			}
		})
			.run((context) -> assertThat(context.getBean(RedisCacheBackend.class).getTarget())
				.isEqualTo("redis-sentinel://127.0.0.1:1,127.0.0.1:2/2#mymaster"));
		runner.withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
			@Override
			public Cluster getCluster() {
				return () -> List.of(new Node("127.0.0.1", 1), new Node("127.0.0.1", 2));
			}
		}).run((context) -> assertThat(context.getBean(RedisCacheBackend.class).getTarget())
			.isEqualTo("redis://127.0.0.1:1,127.0.0.1:2"));
	}

	@Test
	void masterReplicaConnectionsFailStartupWithASentence() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.masterreplica.nodes=127.0.0.1:1,127.0.0.1:2")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new CacheKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("spring.data.redis.masterreplica.nodes",
						"does not support static master/replica");
			});
	}

	private static DataRedisConnectionDetails.Sentinel sentinel(String master, int database,
			List<DataRedisConnectionDetails.Node> nodes) {
		return new DataRedisConnectionDetails.Sentinel() {
			@Override
			public int getDatabase() {
				return database;
			}

			@Override
			public String getMaster() {
				return master;
			}

			@Override
			public List<DataRedisConnectionDetails.Node> getNodes() {
				return nodes;
			}

			@Override
			public String getUsername() {
				return null;
			}

			@Override
			public String getPassword() {
				return null;
			}
		};
	}

	@Test
	void customizersRunInOrder() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			assertThat(context.getBean(RedisCacheBackend.class).getPrefix()).isEqualTo("second:");
			assertThat(CustomizerConfiguration.calls).containsExactly("first", "second", "options");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		RedisCacheBackend<Object> userBackend() {
			return RedisCacheBackend.builder(redis.url()).prefix("user:").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSerializerConfiguration {

		@Bean
		CacheSerializer<Object> upperCaseSerializer() {
			CacheSerializer<Object> strings = NamedSerializers.named("string", List.of());
			return new CacheSerializer<>() {
				@Override
				public byte[] serialize(Object value) {
					return strings.serialize(value.toString().toUpperCase());
				}

				@Override
				public Object deserialize(byte[] bytes) {
					return strings.deserialize(bytes);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		static final List<String> calls = new ArrayList<>();

		@Bean
		@Order(2)
		CacheKitBackendCustomizer second() {
			return (builder) -> {
				calls.add("second");
				builder.prefix("second:");
			};
		}

		@Bean
		@Order(1)
		CacheKitBackendCustomizer first() {
			return (builder) -> {
				calls.add("first");
				builder.prefix("first:");
			};
		}

		@Bean
		CacheKitClientOptionsCustomizer options() {
			return (options) -> calls.add("options");
		}

	}

}
