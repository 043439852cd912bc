package io.cachekit.spring.bulk;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Runs {@link BulkCacheable} methods: each call's elements are read from their caches in one
 * batch, the method is called once with the missing ones, and what it answered is written in one
 * batch (see {@link BulkCacheable} for the semantics). Caches come from the application's
 * {@link CacheManager}, looked up when a method is first called.
 */
public final class BulkCacheableInterceptor implements MethodInterceptor {

	private final Supplier<CacheManager> cacheManager;

	private final BulkExpressions expressions = new BulkExpressions();

	private final Map<MethodClassKey, Optional<BulkOperation>> operations = new ConcurrentHashMap<>();

	/**
	 * An interceptor reading caches from {@code cacheManager}.
	 * @param cacheManager supplies the cache manager (called on each call: give a cheap supplier)
	 */
	public BulkCacheableInterceptor(Supplier<CacheManager> cacheManager) {
		this.cacheManager = cacheManager;
	}

	/**
	 * Whether {@code method} on {@code targetClass} is a {@link BulkCacheable} method.
	 * @param method the method
	 * @param targetClass the target class, or {@code null}
	 * @return whether it is one
	 * @throws IllegalStateException when it is annotated but cannot be cached per element
	 */
	boolean isBulkCacheable(Method method, @Nullable Class<?> targetClass) {
		if (targetClass != null && !AnnotationUtils.isCandidateClass(targetClass, BulkCacheable.class)) {
			return false; // a JDK type, say: not worth a look at each method
		}
		return operation(method, targetClass) != null;
	}

	private @Nullable BulkOperation operation(Method method, @Nullable Class<?> targetClass) {
		return this.operations
			.computeIfAbsent(new MethodClassKey(method, targetClass), (k) -> Optional.ofNullable(BulkOperation.of(method, targetClass)))
			.orElse(null);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopProxyUtils.ultimateTargetClass(target) : null;
		BulkOperation operation = operation(invocation.getMethod(), targetClass);
		Object[] args = invocation.getArguments();
		if (operation == null || target == null || !(args[operation.index()] instanceof Iterable<?> argument)) {
			return invocation.proceed();
		}
		CacheManager manager = this.cacheManager.get();
		List<ElementCache> caches = new ArrayList<>(operation.cacheNames().size());
		for (String name : operation.cacheNames()) {
			Cache cache = manager.getCache(name);
			if (cache == null) {
				throw new IllegalArgumentException("Cannot find cache named '" + name + "' for " + operation.method());
			}
			caches.add(ElementCache.of(cache, operation.valueType()));
		}
		BulkCall call = new BulkCall(operation, invocation, this.expressions, argument,
				this.expressions.context(operation.method(), args.clone(), target, targetClass));
		return call.run(caches);
	}

}
