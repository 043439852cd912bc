package io.cachekit.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.cachekit.redis.RedisCacheBackend;
import io.lettuce.core.RedisClient;

/**
 * Honours Spring Boot's {@code spring.data.redis.*} connection properties when the application
 * does not have {@code spring-boot-data-redis} (whose connection details CacheKit reads when it
 * has): read with Boot's binder into CacheKit's own mapping ({@link BoundDataRedisProperties},
 * {@link BoundDataRedisConnectionMapper}), with the precedence of {@link Connections#resolve}:
 * {@code app.cache.redis-url} wins, then {@code spring.data.redis.*}, then
 * {@code redis://localhost:6379/0}. When CacheKit connects from them,
 * {@code spring.data.redis.timeout} and {@code connect-timeout} are its command and connect
 * timeouts unless {@code app.cache.timeout}/{@code connect-timeout} are set; properties that
 * would connect elsewhere fail start-up naming them; those without a meaning for CacheKit (pools,
 * Jedis, Lettuce's shutdown and topology refresh) are named in one WARN.
 */
@AutoConfiguration(before = CacheKitAutoConfiguration.class)
@ConditionalOnMissingClass("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
@ConditionalOnClass({ RedisClient.class, RedisCacheBackend.class })
@ConditionalOnBooleanProperty(name = "app.cache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheKitProperties.class)
public final class CacheKitDataRedisPropertiesAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CacheKitDataRedisPropertiesAutoConfiguration.class);

	/** Read by CacheKit ({@link BoundDataRedisProperties}); every other one is refused or named as ignored. */
	private static final Set<String> HONOURED = Set.of("url", "host", "port", "database", "username", "password",
			"timeout", "connect-timeout", "client-name", "ssl.enabled", "ssl.bundle", "sentinel.master", "sentinel.nodes",
			"sentinel.username", "sentinel.password", "cluster.nodes");

	/** Not about connecting at all (Spring Data Redis' repositories and listener containers): not named. */
	private static final Set<String> UNRELATED = Set.of("repositories", "listener");

	@Bean
	Connections.DataRedisConnections cacheKitSpringDataRedisProperties(Environment environment,
			CacheKitProperties properties, ObjectProvider<SslBundles> sslBundles) {
		BoundDataRedisProperties bound = BoundDataRedisProperties.bind(environment);
		if (!bound.isSet()) {
			return new Connections.DataRedisConnections(null, null, false);
		}
		boolean cluster = properties.getRedisOptions().isCluster();
		Supplier<Connections.Resolved> fromProperties = () -> {
			warnIgnored(bound);
			return BoundDataRedisConnectionMapper.toConnection(bound, cluster, sslBundles.getIfUnique());
		};
		return new Connections.DataRedisConnections(null, fromProperties, false);
	}

	/**
	 * {@code spring.data.redis.timeout}/{@code connect-timeout} as CacheKit's timeouts, when
	 * CacheKit connects from {@code spring.data.redis.*} and {@code app.cache.*} sets neither.
	 */
	@Bean
	CacheKitBackendCustomizer cacheKitSpringDataRedisTimeouts(Environment environment, CacheKitProperties properties) {
		return (builder) -> {
			String url = properties.getRedisUrl();
			if (url != null && !url.isBlank()) {
				return;
			}
			BoundDataRedisProperties bound = BoundDataRedisProperties.bind(environment);
			Duration timeout = bound.timeout();
			Binder binder = Binder.get(environment);
			if (timeout != null && !binder.bind("app.cache.timeout", Duration.class).isBound()) {
				CacheKitAutoConfiguration.check("spring.data.redis.timeout", () -> builder.commandTimeout(timeout));
			}
			Duration connectTimeout = bound.connectTimeout();
			if (connectTimeout != null && !binder.bind("app.cache.connect-timeout", Duration.class).isBound()) {
				CacheKitAutoConfiguration.check("spring.data.redis.connect-timeout",
						() -> builder.connectTimeout(connectTimeout));
			}
		};
	}

	private static void warnIgnored(BoundDataRedisProperties bound) {
		Set<String> ignored = new TreeSet<>();
		for (String name : bound.setNames()) {
			String relative = name.substring(BoundDataRedisProperties.PREFIX.length() + 1);
			boolean honoured = HONOURED.stream().anyMatch((h) -> relative.equals(h) || relative.startsWith(h + "."));
			boolean unrelated = UNRELATED.stream().anyMatch((u) -> relative.equals(u) || relative.startsWith(u + "."));
			if (!honoured && !unrelated) {
				ignored.add(name);
			}
		}
		if (!ignored.isEmpty()) {
			logger.warn("CacheKit connects from spring.data.redis.* but has no use for {}: it keeps one connection of "
					+ "its own (no pool) and configures Lettuce itself", ignored);
		}
	}

}
