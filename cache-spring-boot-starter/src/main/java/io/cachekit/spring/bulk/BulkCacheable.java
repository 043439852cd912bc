package io.cachekit.spring.bulk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Caches a method whose argument is a collection of elements (ids) per element: one entry per
 * element, under the key {@code @Cacheable} would use for that element alone, so an element
 * cached here is a hit for a {@code @Cacheable} lookup of the same key in the same cache, and the
 * reverse. A call reads all its elements in one round trip, calls the method once with exactly
 * the elements missing (not at all when none is), and writes what it answered in one round trip.
 * With the bridge's loading layer (every CacheKit cache has one) loads are coalesced per element
 * in this JVM: a caller asking for {@code [a,b]} while another loads {@code [b,c]} waits for
 * {@code b} instead of loading it again.
 *
 * <p>The method's collection argument is its first parameter of a {@code Collection} type
 * ({@code List}, {@code Set}, {@code Collection} or {@code Iterable}); the method is called with a
 * collection of that kind holding the missing elements, and any other arguments as they were.
 * Its result is either
 * <ul>
 * <li>a {@code Map} from element to value: an element the map leaves out (or maps to
 * {@code null}) is absent; the caller gets a map of the elements found or loaded, in argument
 * order; or</li>
 * <li>a {@code List} in the argument's order: the value at index {@code i} belongs to the
 * element at index {@code i} of the collection the method was given ({@code null}: absent), and
 * the caller gets one value per element of its argument, {@code null} for an absent one. A
 * method whose list holds only the values found, in any order (a repository's
 * {@code findAllById}), names the element each value belongs to with {@link #resultElement()}
 * (e.g. {@code "#result.id"}); the caller then gets the values found, in argument order.</li>
 * </ul>
 * An absent element is cached as {@code null} when the cache caches nulls
 * ({@code app.cache.cache-null-values}, default {@code true}), so it is not asked for again
 * until it expires; a {@code @Cacheable} lookup of it answers {@code null}.
 *
 * <p>With several cache names, each is asked in order for the elements the ones before it did
 * not have, and what a later cache or the method answers is written to every cache before it.
 * A cache of another {@code CacheManager} than CacheKit's (or a transaction-aware one) is read and
 * written element by element through Spring's {@code Cache} API: same results, without the
 * batching.
 *
 * <pre class="code">
 * &#64;BulkCacheable(cacheNames = "products")
 * public Map&lt;String, Product&gt; findAll(Collection&lt;String&gt; ids) { ... }
 *
 * &#64;Cacheable("products")               // the same entries, one at a time
 * public Product find(String id) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BulkCacheable {

	/**
	 * Alias for {@link #cacheNames()}.
	 * @return the cache names
	 */
	@AliasFor("cacheNames")
	String[] value() default {};

	/**
	 * The caches the elements are read from and written to, as {@code @Cacheable}'s.
	 * @return the cache names
	 */
	@AliasFor("value")
	String[] cacheNames() default {};

	/**
	 * SpEL for each element's cache key, with {@code #element} the element and the method's
	 * arguments by name ({@code #tenant}), {@code #a0}/{@code #p0} or {@code #root.args}. Default:
	 * the element itself, which is the key {@code @Cacheable} gives a method whose one parameter is
	 * the element ({@code find(String id)}). Write the same expression as the {@code @Cacheable}
	 * method's {@code key}, with {@code #element} for its parameter, to share entries with it.
	 * @return the key expression, or empty for the element itself
	 */
	String key() default "";

	/**
	 * SpEL deciding per element whether it is cached, with {@code #element} and the arguments as
	 * in {@link #key()}: an element it answers {@code false} for is neither read from nor written
	 * to the caches, but passed to the method (in the same one call as the missing elements).
	 * Default: every element is cached.
	 * @return the condition, or empty for always
	 */
	String condition() default "";

	/**
	 * SpEL vetoing the caching of an element's value, with {@code #result} the value
	 * ({@code null} for an absent element) and {@code #element} the element: a value it answers
	 * {@code true} for is returned but not stored. A caller that shared that element's load (in
	 * this JVM, at the same time) sees the element as absent. Default: no veto.
	 * @return the veto, or empty for none
	 */
	String unless() default "";

	/**
	 * For a method returning a {@code List} of the values found in any order: SpEL naming the
	 * element each value belongs to, with {@code #result} the value (e.g. {@code "#result.id"});
	 * it must equal ({@code equals}) an element of the argument. Default: the list is in the
	 * argument's order, one value (or {@code null}) per element.
	 * @return the expression, or empty for a list in argument order
	 */
	String resultElement() default "";

}
