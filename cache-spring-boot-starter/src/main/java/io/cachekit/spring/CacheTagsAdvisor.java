package io.cachekit.spring;

import java.lang.annotation.Annotation;
import java.util.List;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.core.Ordered;

/**
 * Puts a {@link CacheTagsInterceptor} around every method with {@link CacheTags},
 * {@link EvictTags} or one of Spring's cache annotations (on the method or its class), outermost
 * by default: outside Spring's cache interceptor, whose writes it tags, and outside a
 * transaction, after whose commit {@link EvictTags} invalidates.
 */
public final class CacheTagsAdvisor extends AbstractPointcutAdvisor {

	private static final long serialVersionUID = 1L;

	private final transient CacheTagsInterceptor interceptor;

	private final transient Pointcut pointcut;

	/**
	 * An advisor for {@code interceptor}, ordered {@link Ordered#HIGHEST_PRECEDENCE}.
	 * @param interceptor what runs around the methods
	 */
	public CacheTagsAdvisor(CacheTagsInterceptor interceptor) {
		this.interceptor = interceptor;
		ComposablePointcut pointcut = new ComposablePointcut(AnnotationMatchingPointcut.forMethodAnnotation(CacheTags.class));
		for (Class<? extends Annotation> type : List.of(CacheTags.class, EvictTags.class, Cacheable.class, CachePut.class,
				CacheEvict.class, Caching.class)) {
			pointcut.union(AnnotationMatchingPointcut.forMethodAnnotation(type));
			pointcut.union(new AnnotationMatchingPointcut(type, true));
		}
		this.pointcut = pointcut;
		setOrder(Ordered.HIGHEST_PRECEDENCE);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public CacheTagsInterceptor getAdvice() {
		return this.interceptor;
	}

}
