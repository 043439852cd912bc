package io.cachekit.spring.bulk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.expression.EvaluationContext;
import org.springframework.util.StringUtils;

/**
 * One call of a {@link BulkCacheable} method: its elements and their keys, the lookup through its
 * caches, the one call of the method with the elements missing (and those its condition leaves
 * uncached), and the answer in the method's shape.
 */
final class BulkCall {

	private final BulkOperation operation;

	private final MethodInvocation invocation;

	private final BulkExpressions expressions;

	private final EvaluationContext context;

	private final List<Object> elements;

	private final Map<Object, Object> keyOf;

	private final Map<Object, Object> elementOf;

	private final Set<Object> uncached = new LinkedHashSet<>();

	private @Nullable Map<Object, @Nullable Object> methodResults;

	BulkCall(BulkOperation operation, MethodInvocation invocation, BulkExpressions expressions, Iterable<?> argument,
			EvaluationContext context) {
		this.operation = operation;
		this.invocation = invocation;
		this.expressions = expressions;
		this.context = context;
		this.elements = (argument instanceof Collection<?> collection) ? new ArrayList<>(collection) : new ArrayList<>();
		if (!(argument instanceof Collection<?>)) {
			argument.forEach(this.elements::add);
		}
		int capacity = this.elements.size() * 4 / 3 + 1;
		this.keyOf = new LinkedHashMap<>(capacity);
		this.elementOf = new LinkedHashMap<>(capacity);
	}

	/** The method's answer for the caller's elements, from {@code caches} and at most one call of the method. */
	@Nullable Object run(List<ElementCache> caches) throws Throwable {
		BulkCacheable annotation = this.operation.annotation();
		for (Object element : this.elements) {
			if (this.keyOf.containsKey(element) || this.uncached.contains(element)) {
				continue;
			}
			if (StringUtils.hasText(annotation.condition()) && !this.expressions.test(annotation.condition(),
					this.operation.key(), this.context, element, null)) {
				this.uncached.add(element);
				continue;
			}
			Object key = StringUtils.hasText(annotation.key())
					? this.expressions.value(annotation.key(), this.operation.key(), this.context, element, null) : element;
			if (key == null) {
				throw new IllegalArgumentException("the key expression of " + this.operation.method()
						+ " answered null for an element; a cache key must not be null");
			}
			this.keyOf.put(element, key);
			this.elementOf.putIfAbsent(key, element);
		}
		Map<Object, ValueWrapper> cached;
		try {
			cached = this.elementOf.isEmpty() ? Map.of() : lookup(caches, 0, this.elementOf.keySet());
			if (this.methodResults == null && !this.uncached.isEmpty()) {
				callMethod(Set.of());
			}
		}
		catch (MethodFailure failure) {
			throw failure.getCause();
		}
		catch (RuntimeException ex) {
			// the method's own failure, however a store wrapped it
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof MethodFailure failure) {
					throw failure.getCause();
				}
			}
			throw ex;
		}
		return answer(cached);
	}

	/** The values of {@code keys} from cache {@code i}, what it misses from the caches after it or the method. */
	private Map<Object, ValueWrapper> lookup(List<ElementCache> caches, int i, Collection<Object> keys) {
		return caches.get(i).getAll(keys, (missing) -> {
			if (i + 1 == caches.size()) {
				return callMethod(missing);
			}
			Map<Object, @Nullable Object> values = new LinkedHashMap<>();
			lookup(caches, i + 1, missing).forEach((key, value) -> values.put(key, value.get()));
			return values;
		}, this::cacheable);
	}

	private boolean cacheable(Object key, @Nullable Object value) {
		String unless = this.operation.annotation().unless();
		return !StringUtils.hasText(unless)
				|| !this.expressions.test(unless, this.operation.key(), this.context, this.elementOf.get(key), value);
	}

	/** Calls the method once with the elements of {@code missingKeys} and the uncached ones: their values by key. */
	private Map<Object, @Nullable Object> callMethod(Set<Object> missingKeys) {
		Set<Object> wanted = new HashSet<>(this.uncached);
		missingKeys.forEach((key) -> wanted.add(this.elementOf.get(key)));
		// in the caller's order, each element once
		Collection<Object> argument = this.operation.newCollection().get();
		for (Object element : this.elements) {
			if (wanted.remove(element)) {
				argument.add(element);
			}
		}
		Map<Object, @Nullable Object> byElement = byElement(new ArrayList<>(argument), proceed(argument));
		this.methodResults = byElement;
		Map<Object, @Nullable Object> byKey = new LinkedHashMap<>();
		missingKeys.forEach((key) -> byKey.put(key, byElement.get(this.elementOf.get(key))));
		return byKey;
	}

	private @Nullable Object proceed(Collection<Object> argument) {
		Object[] args = this.invocation.getArguments().clone();
		args[this.operation.index()] = argument;
		try {
			if (this.invocation instanceof ProxyMethodInvocation proxied) {
				return proxied.invocableClone(args).proceed();
			}
			this.invocation.getArguments()[this.operation.index()] = argument;
			return this.invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			// as it is: so also to the callers that shared this call's loads
			throw ex;
		}
		catch (Throwable ex) {
			throw new MethodFailure(ex);
		}
	}

	/** What the method answered for {@code passed}, element by element ({@code null}: absent). */
	private Map<Object, @Nullable Object> byElement(List<Object> passed, @Nullable Object result) {
		Map<Object, @Nullable Object> values = new LinkedHashMap<>();
		if (result == null) {
			return values;
		}
		if (this.operation.mapResult()) {
			Map<?, ?> map = (Map<?, ?>) result;
			passed.forEach((element) -> values.put(element, map.get(element)));
			return values;
		}
		List<?> list = (List<?>) result;
		String resultElement = this.operation.annotation().resultElement();
		if (StringUtils.hasText(resultElement)) {
			for (Object value : list) {
				if (value != null) {
					values.put(this.expressions.value(resultElement, this.operation.key(), this.context, null, value), value);
				}
			}
			return values;
		}
		if (list.size() != passed.size()) {
			throw new IllegalStateException(this.operation.method() + " answered " + list.size() + " values for "
					+ passed.size() + " elements: a List result holds one value per element, in argument order"
					+ " (null for an absent one), unless @BulkCacheable(resultElement) names each value's element");
		}
		for (int i = 0; i < passed.size(); i++) {
			values.put(passed.get(i), list.get(i));
		}
		return values;
	}

	private Object answer(Map<Object, ValueWrapper> cached) {
		Map<Object, @Nullable Object> results = (this.methodResults != null) ? this.methodResults : Map.of();
		List<@Nullable Object> values = new ArrayList<>(this.elements.size());
		for (Object element : this.elements) {
			Object key = this.keyOf.get(element);
			if (key == null) {
				values.add(results.get(element));
			}
			else {
				ValueWrapper value = cached.get(key);
				values.add((value != null) ? value.get() : null);
			}
		}
		if (this.operation.mapResult()) {
			Map<Object, Object> map = new LinkedHashMap<>(this.elements.size() * 4 / 3 + 1);
			for (int i = 0; i < this.elements.size(); i++) {
				Object value = values.get(i);
				if (value != null) {
					map.putIfAbsent(this.elements.get(i), value);
				}
			}
			return map;
		}
		if (!StringUtils.hasText(this.operation.annotation().resultElement())) {
			return values;
		}
		// the values found, in argument order, each element once
		List<Object> found = new ArrayList<>();
		Set<Object> seen = new LinkedHashSet<>();
		for (int i = 0; i < this.elements.size(); i++) {
			Object value = values.get(i);
			if (value != null && seen.add(this.elements.get(i))) {
				found.add(value);
			}
		}
		return found;
	}

	/** The method's own checked exception, carried through the store to the caller. */
	private static final class MethodFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MethodFailure(Throwable cause) {
			super(null, cause, false, false);
		}

		@Override
		public synchronized Throwable getCause() {
			return super.getCause();
		}

	}

}
