package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cachekit.test.RedisExtension;
import io.cachekit.test.Resp;

/** {@link BulkCacheableScenarios} on a standalone Redis, and what a bulk call sends to it. */
class BulkCacheableTests extends BulkCacheableScenarios {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	@Override
	CacheEngineFixture engine() {
		return CacheEngineFixture.redis(redis);
	}

	private static Object redis(String... command) {
		return Resp.call("127.0.0.1", redis.process().port(), command);
	}

	@Test
	void aCallOfHundredIdsHalfCachedSendsOneReadAndOneWrite() {
		contextRunner().run((context) -> {
			Products products = context.getBean(Products.class);
			List<String> ids = new ArrayList<>();
			List<String> half = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				ids.add("h" + i);
				if (i % 2 == 0) {
					half.add("h" + i);
				}
			}
			products.findAll(half);
			redis("CONFIG", "RESETSTAT");
			assertThat(products.findAll(ids)).hasSize(100);
			assertThat(products.calls()).last().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(50);
			Map<String, Long> commands = commands();
			commands.remove("set"); // the set-many script's own SETs, which Redis counts too
			assertThat(commands).as("one MGET, one set-many script").containsOnly(Map.entry("mget", 1L), Map.entry("evalsha", 1L));
		});
	}

	/** Calls per command since the last reset, without the connection's own and this test's. */
	private static Map<String, Long> commands() {
		Set<String> notOperations = Set.of("echo", "psetex", "strlen", "info", "config", "hello", "client", "command",
				"select", "script", "ping");
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : String.valueOf(redis("INFO", "commandstats")).split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + "calls=".length()).split(",")[0];
				if (!notOperations.contains(command.split("\\|")[0])) {
					calls.put(command, Long.parseLong(count));
				}
			}
		}
		return calls;
	}

}
