package io.cachekit.spring;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/**
 * Where a bridge test's caches live and how the test looks at the raw store: Redis here, the
 * in-memory engine in cache-test (which runs the same scenarios through subclasses of these tests).
 */
public interface CacheEngineFixture {

	/**
	 * {@code runner} with this engine as the application's backend.
	 * @param runner the test's context runner
	 * @return the runner on this engine
	 */
	ApplicationContextRunner apply(ApplicationContextRunner runner);

	/**
	 * A Redis command against the raw store (EXISTS, GET, PTTL, SET, FLUSHALL), answered as Redis
	 * answers it.
	 * @param command the command and its arguments
	 * @return the answer
	 */
	Object call(String... command);

	/**
	 * The dedicated Redis of a test class.
	 * @param redis the test's Redis
	 * @return the fixture
	 */
	static CacheEngineFixture redis(RedisExtension redis) {
		return new CacheEngineFixture() {

			@Override
			public ApplicationContextRunner apply(ApplicationContextRunner runner) {
				return runner.withPropertyValues("app.cache.redis-url=" + redis.url());
			}

			@Override
			public Object call(String... command) {
				return Resp.call("127.0.0.1", redis.process().port(), command);
			}

		};
	}

}
