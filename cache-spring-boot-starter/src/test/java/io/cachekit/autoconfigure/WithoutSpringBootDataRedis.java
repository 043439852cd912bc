package io.cachekit.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An application without {@code spring-boot-data-redis}: its classes hidden from the context. */
final class WithoutSpringBootDataRedis {

	/** The package of {@code spring-boot-data-redis}' auto-configuration, connection details and health. */
	static final String DATA_REDIS = "org.springframework.boot.data.redis";

	private WithoutSpringBootDataRedis() {
	}

	/** CacheKit's auto-configuration, as an application without {@code spring-boot-data-redis} gets it. */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(DATA_REDIS))
			.withConfiguration(AutoConfigurations.of(CacheKitDataRedisPropertiesAutoConfiguration.class,
					CacheKitAutoConfiguration.class));
	}

}
