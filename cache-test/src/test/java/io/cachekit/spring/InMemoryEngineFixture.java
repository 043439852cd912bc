package io.cachekit.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.cachekit.inmemory.InMemoryStore;
import io.cachekit.inmemory.autoconfigure.InMemoryCacheKitAutoConfiguration;

/**
 * The in-memory engine under the starter's bridge scenarios: {@code app.cache.in-memory=true}
 * over one {@link InMemoryStore} (a bean, so the test reads what the application wrote), and the
 * few Redis commands the scenarios look with, answered from that store as Redis answers them.
 */
final class InMemoryEngineFixture implements CacheEngineFixture {

	private final InMemoryStore store = new InMemoryStore();

	@Override
	public ApplicationContextRunner apply(ApplicationContextRunner runner) {
		return runner.withConfiguration(AutoConfigurations.of(InMemoryCacheKitAutoConfiguration.class))
			.withBean(InMemoryStore.class, () -> this.store)
			.withPropertyValues("app.cache.in-memory=true");
	}

	@Override
	public Object call(String... command) {
		String[] keys = Arrays.copyOfRange(command, 1, command.length);
		return switch (command[0]) {
			case "EXISTS" -> Arrays.stream(keys).filter(this.store::contains).count();
			case "GET" -> this.store.getBytes(keys[0]).map((bytes) -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
			case "PTTL" -> pttl(keys[0]);
			case "SET" -> {
				this.store.putBytes(keys[0], keys[1].getBytes(StandardCharsets.UTF_8));
				yield "OK";
			}
			case "FLUSHALL" -> {
				this.store.flush();
				yield "OK";
			}
			default -> throw new IllegalArgumentException("not modelled here: " + command[0]);
		};
	}

	private long pttl(String key) {
		if (!this.store.contains(key)) {
			return -2;
		}
		Optional<Duration> ttl = this.store.ttl(key);
		return ttl.map(Duration::toMillis).orElse(-1L);
	}

}
