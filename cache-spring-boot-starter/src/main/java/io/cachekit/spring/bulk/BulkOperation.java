package io.cachekit.spring.bulk;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.annotation.CacheConfig;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * What a {@link BulkCacheable} method is, read once from its declaration and checked: its caches,
 * which parameter holds the elements and what collection to call it with, whether it answers a
 * {@code Map} or a {@code List}, and the type of its values.
 *
 * @param method the method (the most specific one of the target class)
 * @param key the method as a key of parsed expressions
 * @param cacheNames the caches, in order
 * @param index the index of the collection parameter
 * @param newCollection makes the collection the method is called with
 * @param mapResult whether the method answers a {@code Map} (else a {@code List})
 * @param valueType the class of the values (from the return type's generics), {@code Object} when unknown
 * @param annotation the annotation's attributes
 */
record BulkOperation(Method method, AnnotatedElementKey key, List<String> cacheNames, int index,
		Supplier<Collection<Object>> newCollection, boolean mapResult, Class<?> valueType, BulkCacheable annotation) {

	/**
	 * The operation of {@code method} called on {@code targetClass}, or {@code null} when it has no
	 * {@link BulkCacheable}.
	 * @throws IllegalStateException when the method cannot be cached per element, saying why
	 */
	static @Nullable BulkOperation of(Method method, @Nullable Class<?> targetClass) {
		Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
		BulkCacheable annotation = AnnotatedElementUtils.findMergedAnnotation(specific, BulkCacheable.class);
		if (annotation == null && specific != method) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, BulkCacheable.class);
		}
		if (annotation == null) {
			return null;
		}
		String where = "@BulkCacheable method " + specific.getDeclaringClass().getName() + "." + specific.getName();
		List<String> names = cacheNames(annotation, specific.getDeclaringClass());
		if (names.isEmpty()) {
			throw new IllegalStateException(where + " names no cache: set cacheNames, or @CacheConfig on its class");
		}
		int index = -1;
		Class<?>[] parameters = specific.getParameterTypes();
		for (int i = 0; i < parameters.length && index < 0; i++) {
			if (Iterable.class.isAssignableFrom(parameters[i])) {
				index = i;
			}
		}
		if (index < 0) {
			throw new IllegalStateException(where + " has no collection parameter to cache per element");
		}
		Supplier<Collection<Object>> newCollection = newCollection(parameters[index]);
		if (newCollection == null) {
			throw new IllegalStateException(where + " takes a " + parameters[index].getName()
					+ ": the collection parameter must be a List, Set, SortedSet, Collection or Iterable");
		}
		Class<?> returnType = specific.getReturnType();
		ResolvableType type = ResolvableType.forMethodReturnType(specific, (targetClass != null) ? targetClass : specific.getDeclaringClass());
		boolean map = Map.class.isAssignableFrom(returnType) && returnType.isAssignableFrom(LinkedHashMap.class);
		boolean list = List.class.isAssignableFrom(returnType) && returnType.isAssignableFrom(ArrayList.class);
		if (!map && !list) {
			throw new IllegalStateException(where + " returns a " + returnType.getName()
					+ ": it must return a Map from element to value, or a List");
		}
		if (map && StringUtils.hasText(annotation.resultElement())) {
			throw new IllegalStateException(where + " returns a Map: resultElement is for a List result");
		}
		Class<?> valueType = map ? type.asMap().getGeneric(1).resolve(Object.class)
				: type.as(List.class).getGeneric(0).resolve(Object.class);
		return new BulkOperation(specific, new AnnotatedElementKey(specific, targetClass), List.copyOf(names), index,
				newCollection, map, ClassUtils.resolvePrimitiveIfNecessary(valueType), annotation);
	}

	private static List<String> cacheNames(BulkCacheable annotation, Class<?> declaringClass) {
		Set<String> names = new LinkedHashSet<>(List.of(annotation.cacheNames()));
		if (names.isEmpty()) {
			CacheConfig config = AnnotatedElementUtils.findMergedAnnotation(declaringClass, CacheConfig.class);
			if (config != null) {
				names.addAll(List.of(config.cacheNames()));
			}
		}
		return new ArrayList<>(names);
	}

	private static @Nullable Supplier<Collection<Object>> newCollection(Class<?> parameter) {
		if (parameter.isAssignableFrom(ArrayList.class)) {
			return ArrayList::new;
		}
		if (parameter.isAssignableFrom(LinkedHashSet.class)) {
			return LinkedHashSet::new;
		}
		if (parameter.isAssignableFrom(TreeSet.class)) {
			return TreeSet::new;
		}
		return null;
	}

}
