package io.cachekit.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.MethodMetadata;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.OperationListener;
import io.cachekit.core.serialization.internal.NamedSerializers;
import io.cachekit.near.NearCache;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.redis.RedisCacheBackendBuilder;
import io.cachekit.spring.CacheKitLifecycle;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;

/**
 * Auto-configures a {@link RedisCacheBackend} from {@code app.cache.*}, injectable as
 * {@code CacheBackend}, and the lifecycle that connects it at start-up and closes it at
 * shutdown.
 */
// By name: spring-boot-data-redis is optional, and a missing class literal here would be logged at every start.
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@Import(CacheKitAutoConfiguration.SpringDataRedisConnectionConfiguration.class)
@ConditionalOnClass({ RedisClient.class, RedisCacheBackend.class })
@ConditionalOnBooleanProperty(name = "app.cache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CacheKitProperties.class)
public final class CacheKitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(CacheSerializer.class)
	CacheSerializer<Object> cacheKitSerializer(CacheKitProperties properties, BeanFactory beanFactory) {
		List<String> trusted = properties.getJson().getTrustedPackages();
		if (trusted.isEmpty() && AutoConfigurationPackages.has(beanFactory)) {
			trusted = AutoConfigurationPackages.get(beanFactory);
		}
		List<String> packages = trusted;
		return check("app.cache.json.trusted-packages",
				() -> NamedSerializers.named(properties.getSerializer().name().toLowerCase(java.util.Locale.ROOT), packages));
	}

	@Bean
	@ConditionalOnMissingBean(CacheBackend.class)
	RedisCacheBackend<Object> cacheKitBackend(CacheKitProperties properties, CacheSerializer<Object> cacheKitSerializer,
			ObjectProvider<Connections.DataRedisConnections> springDataRedisConnections, ObjectProvider<ClientResources> clientResources,
			ObjectProvider<OperationListener> listeners, ObjectProvider<CacheKitClientOptionsCustomizer> clientOptionsCustomizers,
			ObjectProvider<CacheKitBackendCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
			ListableBeanFactory beans) {
		Connections.Resolved connection = Connections.applySentinelCredentials(Connections.applySslBundle(
				Connections.resolve(properties, springDataRedisConnections.getIfUnique()), properties,
				sslBundles.getIfUnique()), properties);
		RedisCacheBackendBuilder<Object> builder = RedisCacheBackend.builder(connection.connection())
			.serializer(properties.getCompression().resolve(null, "app.cache.compression").wrap(cacheKitSerializer))
			.ttlFunction(properties.backendTtlFunction(beans))
			.failureMode(properties.getFailureMode())
			.deleteUnreadableEntries(properties.isDeleteUnreadableEntries())
			.clientName(properties.getRedisOptions().getClientName())
			.sslVerifyMode(properties.getRedisOptions().getSslVerifyMode())
			.clientResources(clientResources.getIfUnique());
		check("app.cache.prefix", () -> builder.prefix(properties.getPrefix()));
		check("app.cache.default-ttl", () -> builder.defaultTtl(properties.getDefaultTtl()));
		check("app.cache.timeout", () -> builder.commandTimeout(properties.getTimeout()));
		check("app.cache.connect-timeout", () -> builder.connectTimeout(properties.getConnectTimeout()));
		check("app.cache.shutdown-timeout", () -> builder.shutdownTimeout(properties.getShutdownTimeout()));
		check("app.cache.failure-log-interval", () -> builder.failureLogInterval(properties.getFailureLogInterval()));
		check("app.cache.circuit-breaker", () -> builder.circuitBreaker(
				properties.getCircuitBreaker().getFailureThreshold(), properties.getCircuitBreaker().getOpenDuration()));
		List<OperationListener> all = listeners.orderedStream().toList();
		if (all.size() == 1) {
			builder.listener(all.get(0));
		}
		else if (!all.isEmpty()) {
			// called on every cache operation: a composite only when there is more than one
			builder.listener((operation, nanos, error) -> all.forEach((l) -> l.onOperation(operation, nanos, error)));
		}
		NearCache near = properties.getNearCache().resolve(null, "app.cache.near-cache");
		if (near != null) {
			builder.nearCache(near);
		}
		clientOptionsCustomizers.orderedStream().forEach((c) -> builder.clientOptions(c::customize));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return check(connection.property(), builder::build);
	}

	@Bean
	@ConditionalOnMissingBean
	CacheKitLifecycle cacheKitLifecycle(ObjectProvider<RedisCacheBackend<?>> backends) {
		return new CacheKitLifecycle(backends.orderedStream().toList());
	}

	/**
	 * The connections Spring Boot describes for Spring Data Redis, when the application has it: a
	 * service connection ({@code @ServiceConnection}, Docker Compose, a bean of the application's)
	 * wins over {@code app.cache.redis-url}; the one Boot derives from {@code spring.data.redis.*}
	 * is used when {@code app.cache.redis-url} is not set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataRedisConnectionDetails.class)
	static class SpringDataRedisConnectionConfiguration {

		@Bean
		@ConditionalOnBean(DataRedisConnectionDetails.class)
		Connections.DataRedisConnections cacheKitSpringDataRedisConnections(ConfigurableListableBeanFactory beanFactory,
				CacheKitProperties properties) {
			boolean cluster = properties.getRedisOptions().isCluster();
			Supplier<Connections.Resolved> serviceConnection = null;
			Supplier<Connections.Resolved> fromProperties = null;
			for (String name : beanFactory.getBeanNamesForType(DataRedisConnectionDetails.class)) {
				boolean derived = isDerivedFromProperties(beanFactory, name);
				Supplier<Connections.Resolved> connection = () -> DataRedisConnectionMapper.toConnection(
						beanFactory.getBean(name, DataRedisConnectionDetails.class), cluster,
						derived ? "spring.data.redis" : "the DataRedisConnectionDetails bean '" + name + "'");
				if (derived) {
					fromProperties = connection;
				}
				else if (serviceConnection == null) {
					serviceConnection = connection;
				}
			}
			return new Connections.DataRedisConnections(serviceConnection, fromProperties);
		}

		/**
		 * Whether the bean is the details Boot derives from {@code spring.data.redis.*}. Its class
		 * ({@code PropertiesDataRedisConnectionDetails}) is package-private, so no type check can
		 * name it; what identifies it is the bean method that declares it, in
		 * {@link DataRedisAutoConfiguration} (which backs off when a service connection or the
		 * application supplies details).
		 */
		static boolean isDerivedFromProperties(ConfigurableListableBeanFactory beanFactory, String name) {
			if (!beanFactory.containsBeanDefinition(name)) {
				return false;
			}
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			MethodMetadata factoryMethod = (definition instanceof AnnotatedBeanDefinition annotated)
					? annotated.getFactoryMethodMetadata() : null;
			return factoryMethod != null
					&& DataRedisAutoConfiguration.class.getName().equals(factoryMethod.getDeclaringClassName());
		}

	}

	static <T> T check(String property, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCacheKitConfigurationException(property, ex.getMessage());
		}
	}

}
