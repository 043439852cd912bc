package io.cachekit.spring.bulk;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.context.expression.CachedExpressionEvaluator;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;

/**
 * The SpEL of {@link BulkCacheable} ({@code key}, {@code condition}, {@code unless},
 * {@code resultElement}), parsed once per method and expression: one context per call, in which
 * {@code #element} and {@code #result} are set before each evaluation.
 */
final class BulkExpressions extends CachedExpressionEvaluator {

	private final Map<ExpressionKey, Expression> cache = new ConcurrentHashMap<>();

	/** The evaluation context of one call. */
	EvaluationContext context(Method method, Object[] args, Object target, Class<?> targetClass) {
		return new MethodBasedEvaluationContext(new BulkRoot(method, args, target, targetClass), method, args,
				getParameterNameDiscoverer());
	}

	/** {@code expression} of {@code method} for {@code element} (and {@code result}). */
	@Nullable Object value(String expression, AnnotatedElementKey method, EvaluationContext context, @Nullable Object element,
			@Nullable Object result) {
		context.setVariable("element", element);
		context.setVariable("result", result);
		return getExpression(this.cache, method, expression).getValue(context);
	}

	/** {@code expression} as a condition: {@code true} only when it answers {@code true}. */
	boolean test(String expression, AnnotatedElementKey method, EvaluationContext context, @Nullable Object element,
			@Nullable Object result) {
		return Boolean.TRUE.equals(value(expression, method, context, element, result));
	}

}
