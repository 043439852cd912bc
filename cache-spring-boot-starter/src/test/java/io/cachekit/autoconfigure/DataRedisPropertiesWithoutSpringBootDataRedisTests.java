package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisProcess;

/**
 * {@code spring.data.redis.*} read by CacheKit itself when {@code spring-boot-data-redis} is not
 * on the classpath: each property mapped, the precedence ({@code app.cache.redis-url} first), the
 * timeouts, properties that cannot be honoured failing start-up by name; and, with
 * {@code spring-boot-data-redis}, the line that says CacheKit connects elsewhere than Boot.
 * Nothing here connects: the targets are what the connection shows.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataRedisPropertiesWithoutSpringBootDataRedisTests {

	/** Only the mapping: no backend, nothing connects. */
	private final ApplicationContextRunner mapping = new ApplicationContextRunner()
		.withClassLoader(new FilteredClassLoader(WithoutSpringBootDataRedis.DATA_REDIS))
		.withConfiguration(AutoConfigurations.of(CacheKitDataRedisPropertiesAutoConfiguration.class));

	private void target(String expected, String... properties) {
		this.mapping.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			Connections.DataRedisConnections connections = context.getBean(Connections.DataRedisConnections.class);
			assertThat(connections.fromBoot()).isFalse();
			assertThat(connections.properties()).isNotNull();
			assertThat(connections.properties().get().toString()).isEqualTo(expected);
		});
	}

	@Test
	void hostPortDatabaseAndCredentials() {
		target("Resolved[redis://app:****@cache.example:6380/4, from spring.data.redis]", "spring.data.redis.host=cache.example",
				"spring.data.redis.port=6380", "spring.data.redis.database=4", "spring.data.redis.username=app",
				"spring.data.redis.password=Hash#Secr3t");
		target("Resolved[redis://:****@localhost:6379/0, from spring.data.redis]", "spring.data.redis.password=s3cret");
	}

	@Test
	void urlWinsOverHostAndItsUserInfoIsDecoded() {
		target("Resolved[rediss://:****@u.example:6390/2, from spring.data.redis.url]",
				"spring.data.redis.url=rediss://:Hash%23Secr3t@u.example:6390/2", "spring.data.redis.host=ignored.example");
		target("Resolved[redis://bob:****@u.example:6379/0, from spring.data.redis.url]",
				"spring.data.redis.url=redis://bob:pw@u.example");
	}

	@Test
	void sslEnabledIsTls() {
		target("Resolved[rediss://h:6379/0, from spring.data.redis]", "spring.data.redis.host=h",
				"spring.data.redis.ssl.enabled=true");
	}

	@Test
	void sentinelMasterNodesAndCredentials() {
		target("Resolved[redis-sentinel://:****@s1:26379,[::1]:26380/1#mymaster, from spring.data.redis.sentinel]",
				"spring.data.redis.sentinel.master=mymaster", "spring.data.redis.sentinel.nodes=s1:26379,[::1]:26380",
				"spring.data.redis.sentinel.password=sentinel-s3cret", "spring.data.redis.password=data-s3cret",
				"spring.data.redis.database=1");
	}

	@Test
	void clusterNodes() {
		target("Resolved[redis://c1:7000,c2:7001, from spring.data.redis.cluster.nodes]",
				"spring.data.redis.cluster.nodes=c1:7000,c2:7001");
	}

	@Test
	void nothingSetIsNothingToUse() {
		this.mapping.run((context) -> assertThat(context.getBean(Connections.DataRedisConnections.class).properties()).isNull());
	}

	@Test
	void aPropertyThatWouldConnectElsewhereFailsStartUpNamingIt() {
		for (String property : new String[] { "spring.data.redis.lettuce.read-from=replicaPreferred",
				"spring.data.redis.masterreplica.nodes=r1:6379,r2:6379" }) {
			String name = property.substring(0, property.indexOf('='));
			WithoutSpringBootDataRedis.runner().withPropertyValues(property, "spring.data.redis.host=127.0.0.1").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidCacheKitConfigurationException.class)
					.hasMessageContaining(name);
				FailureAnalysis analysis = new CacheKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'" + name + "'", "cannot honour");
			});
		}
	}

	@Test
	void appCacheRedisUrlWinsAndThenNothingIsRefused() {
		int port = RedisProcess.freePort();
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("app.cache.redis-url=redis://127.0.0.1:" + port, "spring.data.redis.host=elsewhere.example",
					"spring.data.redis.lettuce.read-from=replica", "app.cache.connect-timeout=200ms")
			.run(backend((cache) -> assertThat(cache.getTarget()).isEqualTo("redis://127.0.0.1:" + port)));
	}

	@Test
	void springDataRedisTimeoutIsTheCommandTimeoutUnlessAppCacheSetsOne() {
		int port = RedisProcess.freePort();
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.port=" + port, "spring.data.redis.timeout=1500ms",
					"spring.data.redis.connect-timeout=200ms")
			.run(backend((cache) -> {
				assertThat(cache.getTarget()).isEqualTo("redis://localhost:" + port + "/0");
				assertThat(cache.getCommandTimeout()).isEqualTo(Duration.ofMillis(1500));
			}));
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.port=" + port, "spring.data.redis.timeout=1500ms",
					"app.cache.timeout=250ms", "app.cache.connect-timeout=200ms")
			.run(backend((cache) -> assertThat(cache.getCommandTimeout()).isEqualTo(Duration.ofMillis(250))));
	}

	@Test
	void propertiesWithoutAMeaningForCacheKitAreNamedOnce(CapturedOutput output) {
		WithoutSpringBootDataRedis.runner()
			.withPropertyValues("spring.data.redis.port=" + RedisProcess.freePort(), "spring.data.redis.lettuce.pool.max-active=16",
					"spring.data.redis.jedis.pool.max-idle=4", "spring.data.redis.repositories.enabled=false",
					"app.cache.connect-timeout=200ms")
			.run(backend((cache) -> {
			}));
		assertThat(output.getAll()).contains("has no use for [spring.data.redis.jedis.pool.max-idle, "
				+ "spring.data.redis.lettuce.pool.max-active]");
	}

	/**
	 * With {@code spring-boot-data-redis}: CacheKit on {@code app.cache.redis-url}, Boot elsewhere
	 * from {@code spring.data.redis.*}: one INFO line naming both, masked; none when both are one server.
	 */
	@Test
	void withBootsAutoConfigurationConnectingElsewhereSaysSoOnce(CapturedOutput output) {
		int port = RedisProcess.freePort();
		ApplicationContextRunner withBoot = new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, CacheKitAutoConfiguration.class));
		withBoot.withPropertyValues("app.cache.redis-url=redis://:app-s3cret@127.0.0.1:" + port,
				"spring.data.redis.host=boot.example", "spring.data.redis.password=boot-s3cret",
				"app.cache.connect-timeout=200ms")
			.run(backend((cache) -> {
			}));
		String all = output.getAll();
		assertThat(all).contains("CacheKit connects to redis://****@127.0.0.1:" + port
				+ "/0 (app.cache.redis-url), Spring Boot's Redis auto-configuration to redis://:****@boot.example:6379/0",
				"management.health.redis.enabled=false");
		assertThat(all.split("CacheKit connects to ", -1)).hasSize(2);
		assertThat(all).doesNotContain("app-s3cret").doesNotContain("boot-s3cret");
		int before = all.length();
		withBoot.withPropertyValues("app.cache.redis-url=redis://:one@127.0.0.1:" + port, "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + port, "spring.data.redis.password=other", "app.cache.connect-timeout=200ms")
			.run(backend((cache) -> {
			}));
		assertThat(output.getAll().substring(before)).doesNotContain("CacheKit connects to");
	}

	private static org.springframework.boot.test.context.runner.ContextConsumer<AssertableApplicationContext> backend(
			Consumer<RedisCacheBackend<?>> check) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			check.accept(context.getBean(RedisCacheBackend.class));
		};
	}

}
