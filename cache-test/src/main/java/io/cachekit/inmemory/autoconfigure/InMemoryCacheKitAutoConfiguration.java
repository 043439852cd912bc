package io.cachekit.inmemory.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.cachekit.autoconfigure.CacheKitAutoConfiguration;
import io.cachekit.autoconfigure.CacheKitProperties;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheSerializer;
import io.cachekit.inmemory.InMemoryCacheBackend;
import io.cachekit.inmemory.InMemoryCacheBackendBuilder;
import io.cachekit.inmemory.InMemoryStore;

/**
 * With {@code app.cache.in-memory=true} (and {@code cache-test} on the test class path), the
 * application's {@code CacheBackend} is an {@link InMemoryCacheBackend} configured from
 * {@code app.cache.*} (prefix, default TTL, failure mode, compression, the TtlFunction bean, and the starter's serializer bean, so
 * {@code app.cache.serializer} or a {@code CacheSerializer<Object>} bean apply) instead of a
 * {@code RedisCacheBackend}: the starter backs off and no Redis is needed. An {@link InMemoryStore}
 * bean, when there is one, is the store it keeps its entries in. A {@code CacheBackend}
 * bean of the application's own wins. The starter's {@code CacheKitCacheAutoConfiguration} bridges
 * {@code @Cacheable} to it, as to any layered backend: per-cache TTLs, null handling, value types
 * and loading settings apply (a cache's own near cache does not: it needs Redis client tracking).
 */
@AutoConfiguration(before = CacheKitAutoConfiguration.class)
@ConditionalOnClass(CacheKitAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "app.cache.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("app.cache.in-memory")
@EnableConfigurationProperties(CacheKitProperties.class)
public final class InMemoryCacheKitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(CacheBackend.class)
	InMemoryCacheBackend<Object> cacheKitBackend(CacheKitProperties properties,
			CacheSerializer<Object> cacheKitSerializer, ObjectProvider<InMemoryStore> store, ListableBeanFactory beans) {
		InMemoryCacheBackendBuilder<Object> builder = InMemoryCacheBackend.builder();
		store.ifAvailable(builder::store);
		return builder
			.serializer(properties.getCompression().resolve(null, "app.cache.compression").wrap(cacheKitSerializer))
			.ttlFunction(properties.backendTtlFunction(beans))
			.prefix(properties.getPrefix())
			.defaultTtl(properties.getDefaultTtl())
			.failureMode(properties.getFailureMode())
			.deleteUnreadableEntries(properties.isDeleteUnreadableEntries())
			.build();
	}

}
