package io.cachekit.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The CacheKit sample: a product catalog whose repository takes 300 ms per load, cached in Redis
 * through the CacheKit starter. Without a Redis at {@code app.cache.redis-url} it starts one of its
 * own ({@link EmbeddedRedisInitializer}).
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
