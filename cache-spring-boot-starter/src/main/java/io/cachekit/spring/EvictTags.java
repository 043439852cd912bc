package io.cachekit.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates tags when this method returns: every entry carrying one of them, in every cache
 * of the backend, is a miss from then on (in this JVM at once, on other instances within the
 * near cache's bound). One write per tag, no SCAN. Each expression is SpEL evaluated against
 * the call ({@code #id}, {@code #p0}, {@code #result}) and answers a tag, a collection or an
 * array of tags, or {@code null} (none).
 *
 * <pre>{@code
 * @EvictTags("'tenant:' + #tenantId")
 * public void renameTenant(String tenantId, String name) { ... }
 * }</pre>
 *
 * <p>The invalidation runs after the method returns (after a transaction of the method commits,
 * when the transaction's advice is inside this one, as it is by default), unless
 * {@link #beforeInvocation()}; a method that throws invalidates nothing then.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface EvictTags {

	/**
	 * The tag expressions (SpEL), each answering a tag, tags, or {@code null}.
	 * @return the expressions
	 */
	String[] value();

	/**
	 * Whether to invalidate before the method runs (then whatever it does; {@code #result} is
	 * {@code null}).
	 * @return whether the invalidation comes first
	 */
	boolean beforeInvocation() default false;

}
