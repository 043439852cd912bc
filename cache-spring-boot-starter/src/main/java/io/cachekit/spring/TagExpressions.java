package io.cachekit.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ObjectUtils;

/**
 * Evaluates the SpEL of {@link CacheTags} and {@link EvictTags} against a method call, as
 * Spring's cache annotations evaluate {@code key}: arguments by name ({@code #id}) or position
 * ({@code #p0}, {@code #a0}), {@code #root.method}, {@code #root.args}, {@code #root.target},
 * {@code #result} (eviction after the call), beans as {@code @name}. Parsed expressions are kept.
 */
final class TagExpressions {

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final Map<String, Expression> parsed = new ConcurrentHashMap<>();

	private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();

	private final @Nullable BeanFactory beanFactory;

	TagExpressions(@Nullable BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/** What {@code #root} is in a tag expression. */
	public static final class Root {

		private final Method method;

		private final Object[] args;

		private final @Nullable Object target;

		Root(Method method, Object[] args, @Nullable Object target) {
			this.method = method;
			this.args = args;
			this.target = target;
		}

		/** @return the method called */
		public Method getMethod() {
			return this.method;
		}

		/** @return the method's name */
		public String getMethodName() {
			return this.method.getName();
		}

		/** @return the arguments */
		public Object[] getArgs() {
			return this.args;
		}

		/** @return the bean called */
		public @Nullable Object getTarget() {
			return this.target;
		}

	}

	/**
	 * The tags {@code expressions} answer for a call, each once, in order.
	 * @param result the method's result, set as {@code #result} when {@code withResult}
	 */
	List<String> tags(String[] expressions, Method method, Object[] args, @Nullable Object target,
			@Nullable Object result, boolean withResult) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(method, args, target), method,
				args, this.names);
		if (this.beanFactory != null) {
			context.setBeanResolver(new BeanFactoryResolver(this.beanFactory));
		}
		if (withResult) {
			context.setVariable("result", result);
		}
		List<String> tags = new ArrayList<>();
		for (String source : expressions) {
			Expression expression = this.parsed.computeIfAbsent(source, this.parser::parseExpression);
			add(tags, expression.getValue(context), source);
		}
		return tags.stream().distinct().toList();
	}

	private static void add(List<String> tags, @Nullable Object value, String source) {
		if (value == null) {
			return;
		}
		if (value instanceof Collection<?> many) {
			many.forEach((one) -> add(tags, one, source));
			return;
		}
		if (value.getClass().isArray()) {
			for (Object one : ObjectUtils.toObjectArray(value)) {
				add(tags, one, source);
			}
			return;
		}
		String tag = value.toString();
		if (tag.isEmpty()) {
			throw new IllegalArgumentException("the tag expression " + source + " answered an empty tag");
		}
		tags.add(tag);
	}

}
