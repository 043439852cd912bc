package io.cachekit.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Wraps the cache resolver of Spring's caching interceptor so that a {@code @Cacheable} method
 * reads its {@link CacheKitCache}s through {@link CacheKitCache#forValueType(Class)}: a value of
 * another type stored under its key (written by other code under the same cache name) is not
 * handed to the method's caller as a {@link ClassCastException}. The expected type is the
 * method's return type, unwrapped for {@code Optional}, {@code CompletableFuture} and
 * single-value reactive types ({@code Mono<T>}: {@code T}; {@code Flux}: {@code List}). Only the
 * raw class is checked, not type arguments. Other caches and other operations pass through.
 */
public final class CacheKitCacheResolver implements CacheResolver {

	/**
	 * spring-tx is optional (Spring's transaction-aware cache decorator needs it, the starter does
	 * not bring it): without it no cache is transaction-aware, and the decorator class is not touched.
	 */
	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			CacheKitCacheResolver.class.getClassLoader());

	private final CacheResolver delegate;

	private final Map<Method, Class<?>> valueTypes = new ConcurrentHashMap<>();

	private final Map<Cache, Map<Class<?>, Cache>> transactionAwareViews = new ConcurrentHashMap<>();

	/**
	 * Checks what {@code delegate} resolves.
	 * @param delegate the resolver whose caches are checked
	 */
	public CacheKitCacheResolver(CacheResolver delegate) {
		this.delegate = delegate;
	}

	/**
	 * The resolver whose caches this one checks.
	 * @return the delegate
	 */
	public CacheResolver getDelegate() {
		return this.delegate;
	}

	@Override
	public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
		Collection<? extends Cache> caches = this.delegate.resolveCaches(context);
		if (!(context.getOperation() instanceof CacheableOperation)) {
			return caches;
		}
		Class<?> type = this.valueTypes.computeIfAbsent(context.getMethod(), CacheKitCacheResolver::valueType);
		if (type == Object.class) {
			return caches;
		}
		List<Cache> checked = new ArrayList<>(caches.size());
		for (Cache cache : caches) {
			checked.add(checked(cache, type));
		}
		return checked;
	}

	private Cache checked(Cache cache, Class<?> type) {
		if (cache instanceof CacheKitCache cacheKitCache) {
			return cacheKitCache.forValueType(type);
		}
		if (TRANSACTIONS_PRESENT && cache instanceof TransactionAwareCacheDecorator decorator
				&& decorator.getTargetCache() instanceof CacheKitCache cacheKitCache) {
			return this.transactionAwareViews.computeIfAbsent(cache, (c) -> new ConcurrentHashMap<>())
				.computeIfAbsent(type, (t) -> new TransactionAwareCacheDecorator(cacheKitCache.forValueType(t)));
		}
		return cache;
	}

	/** The type a {@code @Cacheable} method's cached value has; {@code Object} when unknown. */
	static Class<?> valueType(Method method) {
		Class<?> returnType = method.getReturnType();
		ResolvableType type = ResolvableType.forMethodReturnType(method);
		if (returnType == void.class) {
			return Object.class;
		}
		if (returnType == Optional.class) {
			return orObject(type.getGeneric(0).resolve());
		}
		if (CompletableFuture.class.isAssignableFrom(returnType)) {
			return orObject(type.as(CompletableFuture.class).getGeneric(0).resolve());
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType);
		if (adapter != null) {
			return adapter.isMultiValue() ? List.class
					: adapter.isNoValue() ? Object.class : orObject(type.getGeneric(0).resolve());
		}
		return ClassUtils.resolvePrimitiveIfNecessary(returnType);
	}

	private static Class<?> orObject(@Nullable Class<?> type) {
		return (type != null) ? ClassUtils.resolvePrimitiveIfNecessary(type) : Object.class;
	}

}
