package io.cachekit.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.SimpleCacheResolver;
import org.springframework.context.annotation.Bean;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.LayeredCacheBackend;
import io.cachekit.core.serialization.CacheSerializers;
import io.cachekit.core.serialization.Compression;
import io.cachekit.spring.CacheKitCacheConfiguration;
import io.cachekit.spring.CacheKitCacheManager;
import io.cachekit.spring.CacheKitCacheResolver;
import io.cachekit.spring.observation.ObservedCacheBackend;

/**
 * Auto-configures a {@link CacheKitCacheManager} when caching is enabled
 * ({@code @EnableCaching}), so {@code @Cacheable} and friends use the CacheKit backend: the
 * single (or {@code @Primary}) {@link CacheBackend} bean, ours or the application's. Ordered
 * before Spring Boot's cache auto-configuration, which then backs off. {@code spring.cache.type}
 * stays Boot's switch: unset or {@code redis} means this bridge; any other type (such as
 * {@code none}, which {@code @AutoConfigureCache} sets) makes the bridge back off so Boot
 * configures that type.
 */
@AutoConfiguration(after = CacheKitAutoConfiguration.class, before = CacheAutoConfiguration.class)
@ConditionalOnClass({ CacheManager.class, CacheKitCacheManager.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnSingleCandidate(CacheBackend.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@ConditionalOnBooleanProperty(name = "app.cache.enabled", matchIfMissing = true)
// Boot's switch: none (what @AutoConfigureCache sets), simple, caffeine... leave the cache manager to Boot
@ConditionalOnProperty(name = "spring.cache.type", havingValue = "redis", matchIfMissing = true)
public final class CacheKitCacheAutoConfiguration {

	@Bean
	CacheKitCacheManager cacheManager(CacheBackend<?> primary, ObjectProvider<CacheSerializer<Object>> serializer,
			CacheKitProperties properties, ObjectProvider<CacheManagerCustomizer<?>> customizers, ListableBeanFactory beans) {
		// the observed face of the backend: the caches are observed one by one, under their names
		CacheBackend<?> backend = (primary instanceof ObservedCacheBackend<?> observed) ? observed.getDelegate() : primary;
		CacheKitCacheConfiguration common = CacheKitCacheConfiguration.defaults()
			.withCacheNullValues(properties.isCacheNullValues())
			.withLoading(properties.getLoading().resolve(null, "app.cache.loading"))
			.withTags(properties.getTags().resolve(null))
			.withTtlFunction(properties.backendTtlFunction(beans));
		Compression compression = properties.getCompression().resolve(null, "app.cache.compression");
		// another backend keeps its own serializer: the bridge cannot compress its values
		CacheKitCacheConfiguration defaults = (backend instanceof LayeredCacheBackend<?>)
				? common.withCompression(compression) : common;
		Map<String, CacheKitCacheConfiguration> caches = new LinkedHashMap<>();
		properties.getCaches().forEach((name, spec) -> {
			String property = "app.cache.caches." + name;
			CacheKitCacheConfiguration configuration = defaults
				.withLoading(spec.getLoading().resolve(properties.getLoading(), property + ".loading"));
			if (spec.getCacheNullValues() != null) {
				configuration = configuration.withCacheNullValues(spec.getCacheNullValues());
			}
			if (spec.getValueType() != null) {
				if (!(backend instanceof LayeredCacheBackend<?>)) {
					throw new InvalidCacheKitConfigurationException(property + ".value-type",
							"a typed cache needs a layered backend such as RedisCacheBackend (its serializer is chosen"
									+ " per cache), but the CacheBackend bean is a " + backend.getClass().getName());
				}
				configuration = configuration.withValueType(spec.getValueType());
			}
			if (spec.getVersion() != null) {
				configuration = CacheKitVersions.versioned(configuration, spec.getVersion(), property + ".version");
			}
			if (spec.getTtlFunction() != null) {
				configuration = configuration.withTtlFunction(TtlFunctions.cacheFunction(beans, name, spec.getTtlFunction()));
			}
			if (spec.getCompression().isOverridden()) {
				if (!(backend instanceof LayeredCacheBackend<?>)) {
					throw new InvalidCacheKitConfigurationException(property + ".compression",
							"compression needs a layered backend such as RedisCacheBackend (its serializer is chosen"
									+ " per cache), but the CacheBackend bean is a " + backend.getClass().getName());
				}
				configuration = configuration
					.withCompression(spec.getCompression().resolve(properties.getCompression(), property + ".compression"));
			}
			if (spec.getNearCache().isOverridden()) {
				configuration = configuration
					.withNearCache(spec.getNearCache().resolve(properties.getNearCache(), property + ".near-cache"));
			}
			configuration = configuration.withTags(spec.getTags().resolve(properties.getTags()));
			CacheKitCacheConfiguration base = configuration;
			caches.put(name, CacheKitAutoConfiguration.check(property + ".ttl",
					() -> base.withEntryTtl(spec.getTtl())));
		});
		// a layered backend gets a view per cache whose serializer stores the null marker; any
		// other backend (a decorator, another implementation) is used as it is
		CacheKitCacheManager cacheManager = CacheKitCacheManager.builder(backend)
			.serializer(serializer.getIfAvailable(CacheSerializers::json))
			.failureMode(properties.getFailureMode())
			.defaults(defaults)
			.initialCaches(caches)
			.allowDynamicCaches(properties.isDynamicCaches())
			.transactionAware(properties.isTransactionAware())
			.build();
		return new CacheManagerCustomizers(customizers.orderedStream().toList()).customize(cacheManager);
	}

	/**
	 * Puts a {@link CacheKitCacheResolver} around the caching interceptor's resolver, so a
	 * {@code @Cacheable} method never gets a cached value of another type. Runs once all
	 * singletons exist, before or after the interceptor picks its default resolver (both orders
	 * end with the default wrapped).
	 */
	@Bean
	SmartInitializingSingleton cacheKitValueTypeCheck(ObjectProvider<CacheAspectSupport> interceptors,
			BeanFactory beanFactory) {
		return () -> interceptors.forEach((interceptor) -> {
			CacheResolver current = interceptor.getCacheResolver();
			if (current instanceof CacheKitCacheResolver) {
				return;
			}
			if (current == null) {
				current = new SimpleCacheResolver(beanFactory.getBean(CacheManager.class));
			}
			interceptor.setCacheResolver(new CacheKitCacheResolver(current));
		});
	}

}
