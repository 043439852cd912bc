package io.cachekit.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags the entries that the caching annotations beside it ({@code @Cacheable}, including
 * {@code sync = true}, and {@code @CachePut}) write on this method's call: each expression is SpEL
 * evaluated against the call ({@code #id}, {@code #p0}, {@code #root.method}, beans as
 * {@code @name}) and answers a tag, a collection or an array of tags, or {@code null} (none).
 * {@code @EvictTags} or {@code CacheBackend.invalidateTag} of any of them makes those entries a
 * miss for every instance. The caches written need tags on ({@code app.cache.tags.enabled}, or
 * {@code app.cache.caches.<name>.tags.enabled}).
 *
 * <pre>{@code
 * @Cacheable("orders")
 * @CacheTags({ "'tenant:' + #tenantId", "'orders'" })
 * public Order order(String tenantId, long id) { ... }
 * }</pre>
 *
 * <p>With {@code @Cacheable(sync = true)} the tags' versions are read before the method runs, so
 * an invalidation while it runs leaves its result a miss for later callers; a plain
 * {@code @Cacheable} or {@code @CachePut} records them when its result is written, as Spring's
 * own evict-then-put race has it. Writes that Spring makes on another thread (the result of a
 * {@code CompletableFuture} method without {@code sync = true}) are refused, since their tags
 * would be lost.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface CacheTags {

	/**
	 * The tag expressions (SpEL), each answering a tag, tags, or {@code null}.
	 * @return the expressions
	 */
	String[] value();

}
