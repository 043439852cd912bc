package io.cachekit.spring.bulk;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.cache.CacheManager;

/**
 * The advisor of {@link BulkCacheable} methods, which the starter registers (as infrastructure,
 * so the proxy creator of {@code @EnableCaching} applies it) when caching is enabled. A method
 * annotated but not cacheable per element (no collection parameter, a result that is neither a
 * {@code Map} nor a {@code List}, no cache) fails the creation of its bean, saying why.
 */
public final class BulkCacheableAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private final transient BulkCacheableInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * An advisor whose caches come from {@code cacheManager}.
	 * @param cacheManager supplies the cache manager
	 */
	public BulkCacheableAdvisor(Supplier<CacheManager> cacheManager) {
		this.interceptor = new BulkCacheableInterceptor(cacheManager);
		BulkCacheableInterceptor matcher = this.interceptor;
		this.pointcut = new StaticMethodMatcherPointcut() {

			@Override
			public boolean matches(Method method, @Nullable Class<?> targetClass) {
				return matcher.isBulkCacheable(method, targetClass);
			}

		};
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
