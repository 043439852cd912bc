package io.cachekit.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.cachekit.core.TtlFunction;

/**
 * Which {@link TtlFunction} beans apply where: a cache's own by the bean name its
 * {@code app.cache.caches.<name>.ttl-function} gives, and the backend's (and every other cache's)
 * the one bean no cache names (the {@code @Primary} one among several).
 */
final class TtlFunctions {

	private TtlFunctions() {
	}

	/**
	 * The function of the backend and of caches without their own: the one {@link TtlFunction}
	 * bean that no {@code app.cache.caches.<name>.ttl-function} names, or among several the
	 * primary one.
	 * @param beans the application's beans
	 * @param properties the bound properties
	 * @return the function, or {@code null} when there is none
	 * @throws InvalidCacheKitConfigurationException when several are candidates and none is primary
	 */
	static @Nullable TtlFunction backendFunction(ListableBeanFactory beans, CacheKitProperties properties) {
		// a cache naming a bean that is not there is the mistake to report, not an ambiguity it causes
		properties.getCaches().forEach((cache, spec) -> {
			if (spec.getTtlFunction() != null) {
				cacheFunction(beans, cache, spec.getTtlFunction());
			}
		});
		Set<String> named = properties.getCaches().values().stream().map(CacheKitProperties.CacheSpec::getTtlFunction)
			.filter(Objects::nonNull).collect(Collectors.toSet());
		List<String> candidates = Arrays.stream(beans.getBeanNamesForType(TtlFunction.class))
			.filter((name) -> !named.contains(name)).toList();
		if (candidates.isEmpty()) {
			return null;
		}
		if (candidates.size() > 1 && beans instanceof ConfigurableListableBeanFactory factory) {
			List<String> primary = candidates.stream().filter((name) -> factory.containsBeanDefinition(name)
					&& factory.getBeanDefinition(name).isPrimary()).toList();
			candidates = primary.isEmpty() ? candidates : primary;
		}
		if (candidates.size() > 1) {
			throw new InvalidCacheKitConfigurationException("app.cache.caches.<name>.ttl-function", "the TtlFunction beans "
					+ candidates + " are named by no cache; name each by a cache's ttl-function, or mark the backend's @Primary");
		}
		return beans.getBean(candidates.get(0), TtlFunction.class);
	}

	/**
	 * The function a cache names.
	 * @param beans the application's beans
	 * @param cache the cache's name
	 * @param beanName the bean name its ttl-function gives
	 * @return the bean
	 * @throws InvalidCacheKitConfigurationException when there is no TtlFunction bean of that name
	 */
	static TtlFunction cacheFunction(ListableBeanFactory beans, String cache, String beanName) {
		if (!beans.containsBean(beanName) || !beans.isTypeMatch(beanName, TtlFunction.class)) {
			throw new InvalidCacheKitConfigurationException("app.cache.caches." + cache + ".ttl-function",
					"there is no TtlFunction bean named '" + beanName + "'");
		}
		return beans.getBean(beanName, TtlFunction.class);
	}

}
