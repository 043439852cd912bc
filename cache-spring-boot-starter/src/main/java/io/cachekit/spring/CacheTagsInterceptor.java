package io.cachekit.spring;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import io.cachekit.core.CacheBackend;

/**
 * Runs a cached method with its {@link CacheTags} (or none) as the tags of the writes its caching
 * annotations make, and invalidates its {@link EvictTags} through the backend. Put around every
 * method with CacheKit's or Spring's cache annotations, outside Spring's cache interceptor.
 */
public final class CacheTagsInterceptor implements MethodInterceptor {

	private final TagExpressions expressions;

	private final Supplier<? extends CacheBackend<?>> backend;

	private final Map<Method, Spec> specs = new ConcurrentHashMap<>();

	/**
	 * An interceptor invalidating tags through {@code backend}.
	 * @param backend the backend whose tags {@link EvictTags} invalidates (asked on first use)
	 * @param beanFactory resolves {@code @name} in expressions, or {@code null}
	 */
	public CacheTagsInterceptor(Supplier<? extends CacheBackend<?>> backend, @Nullable BeanFactory beanFactory) {
		this.backend = backend;
		this.expressions = new TagExpressions(beanFactory);
	}

	/** What one method declares. */
	private record Spec(@Nullable CacheTags tags, @Nullable EvictTags evict, String name, boolean writesLater) {
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		Spec spec = this.specs.computeIfAbsent(method, (m) -> spec(m, targetClass));
		Object[] args = invocation.getArguments();
		EvictTags evict = spec.evict();
		if (evict != null && evict.beforeInvocation()) {
			invalidate(this.expressions.tags(evict.value(), method, args, target, null, true));
		}
		List<String> tags = (spec.tags() != null)
				? this.expressions.tags(spec.tags().value(), method, args, target, null, false) : List.of();
		if (!tags.isEmpty() && spec.writesLater()) {
			throw new IllegalStateException("@CacheTags on " + spec.name() + ": its result is written to the cache on"
					+ " another thread (a CompletableFuture or reactive result without @Cacheable(sync = true)),"
					+ " where the tags would be lost; use @Cacheable(sync = true)");
		}
		CurrentTags.Scope previous = CurrentTags.enter(new CurrentTags.Scope(tags, spec.name()));
		Object result;
		try {
			result = invocation.proceed();
		}
		finally {
			CurrentTags.restore(previous);
		}
		if (evict == null || evict.beforeInvocation()) {
			return result;
		}
		if (result instanceof CompletableFuture<?> future) {
			// the change is done when the future is: invalidate then, before the caller hears of it
			return future.thenCompose((value) -> invalidateAsync(
					this.expressions.tags(evict.value(), method, args, target, value, true)).thenApply((done) -> value));
		}
		invalidate(this.expressions.tags(evict.value(), method, args, target, result, true));
		return result;
	}

	private void invalidate(List<String> tags) {
		CacheBackend<?> store = this.backend.get();
		for (String tag : tags) {
			store.invalidateTag(tag);
		}
	}

	private CompletableFuture<Void> invalidateAsync(List<String> tags) {
		CacheBackend<?> store = this.backend.get();
		return CompletableFuture.allOf(tags.stream().map((tag) -> store.async().invalidateTag(tag))
			.toArray(CompletableFuture[]::new));
	}

	private static Spec spec(Method method, Class<?> targetClass) {
		CacheTags tags = find(method, targetClass, CacheTags.class);
		EvictTags evict = find(method, targetClass, EvictTags.class);
		String name = ClassUtils.getQualifiedMethodName(method, targetClass);
		return new Spec(tags, evict, name, writesLater(method));
	}

	private static <A extends java.lang.annotation.Annotation> @Nullable A find(Method method, Class<?> targetClass,
			Class<A> type) {
		A own = AnnotatedElementUtils.findMergedAnnotation(method, type);
		return (own != null) ? own : AnnotatedElementUtils.findMergedAnnotation(targetClass, type);
	}

	/** Whether Spring writes this method's result after it returns, on another thread. */
	private static boolean writesLater(Method method) {
		Class<?> returned = method.getReturnType();
		boolean later = CompletableFuture.class.isAssignableFrom(returned)
				|| returned.getName().startsWith("reactor.core.publisher.")
				|| returned.getName().equals("org.reactivestreams.Publisher");
		if (!later) {
			return false;
		}
		if (!AnnotatedElementUtils.findAllMergedAnnotations(method, CachePut.class).isEmpty()) {
			return true;
		}
		return AnnotatedElementUtils.findAllMergedAnnotations(method, Cacheable.class).stream()
			.anyMatch((cacheable) -> !cacheable.sync());
	}

}
