package io.cachekit.spring.bulk;

import java.lang.reflect.Method;

/**
 * The root object of a {@link BulkCacheable} expression ({@code #root}), as {@code @Cacheable}'s:
 * the method, its arguments, the target.
 *
 * @param method the method called
 * @param args its arguments, as the caller passed them
 * @param target the target object
 * @param targetClass the target's class
 */
public record BulkRoot(Method method, Object[] args, Object target, Class<?> targetClass) {

	/**
	 * The method called (SpEL: {@code #root.method}).
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * The method's name (SpEL: {@code #root.methodName}).
	 * @return its name
	 */
	public String getMethodName() {
		return this.method.getName();
	}

	/**
	 * The arguments, as the caller passed them (SpEL: {@code #root.args}).
	 * @return the arguments
	 */
	public Object[] getArgs() {
		return this.args;
	}

	/**
	 * The target object (SpEL: {@code #root.target}).
	 * @return the target
	 */
	public Object getTarget() {
		return this.target;
	}

	/**
	 * The target's class (SpEL: {@code #root.targetClass}).
	 * @return its class
	 */
	public Class<?> getTargetClass() {
		return this.targetClass;
	}

}
