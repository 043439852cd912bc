package io.cachekit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.unit.DataSize;

import io.cachekit.core.CacheDefaults;
import io.cachekit.core.serialization.Compression;
import io.cachekit.core.serialization.CompressionAlgorithm;
import io.cachekit.near.NearCache;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults live in {@link CacheDefaults} (the near cache's in {@link NearCache}): the
 * properties' initial values, the configuration
 * metadata IDEs show (which the configuration processor cannot compute from a constant, so it is
 * written in additional-spring-configuration-metadata.json) and the property tables of README.md and docs/ agree
 * with it.
 */
class CacheDefaultsAgreementTests {

	private static final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	/** Each defaulted property, its default in CacheDefaults, and where CacheKitProperties keeps it. */
	private static Map<String, Default> defaults() {
		Map<String, Default> defaults = new LinkedHashMap<>();
		defaults.put("app.cache.prefix", new Default(CacheDefaults.PREFIX, CacheKitProperties::getPrefix));
		defaults.put("app.cache.default-ttl", new Default(CacheDefaults.TTL, CacheKitProperties::getDefaultTtl));
		defaults.put("app.cache.failure-mode", new Default(CacheDefaults.FAILURE_MODE, CacheKitProperties::getFailureMode));
		defaults.put("app.cache.timeout", new Default(CacheDefaults.COMMAND_TIMEOUT, CacheKitProperties::getTimeout));
		defaults.put("app.cache.connect-timeout",
				new Default(CacheDefaults.CONNECT_TIMEOUT, CacheKitProperties::getConnectTimeout));
		defaults.put("app.cache.shutdown-timeout",
				new Default(CacheDefaults.SHUTDOWN_TIMEOUT, CacheKitProperties::getShutdownTimeout));
		defaults.put("app.cache.delete-unreadable-entries",
				new Default(CacheDefaults.DELETE_UNREADABLE_ENTRIES, CacheKitProperties::isDeleteUnreadableEntries));
		defaults.put("app.cache.failure-log-interval",
				new Default(CacheDefaults.FAILURE_LOG_INTERVAL, CacheKitProperties::getFailureLogInterval));
		defaults.put("app.cache.circuit-breaker.failure-threshold", new Default(CacheDefaults.BREAKER_FAILURE_THRESHOLD,
				(p) -> p.getCircuitBreaker().getFailureThreshold()));
		defaults.put("app.cache.circuit-breaker.open-duration",
				new Default(CacheDefaults.BREAKER_OPEN_DURATION, (p) -> p.getCircuitBreaker().getOpenDuration()));
		// the near cache's defaults live in NearCache (and are off, or the enums' first value)
		defaults.put("app.cache.near-cache.enabled", new Default(false, (p) -> p.getNearCache().isEnabled()));
		defaults.put("app.cache.near-cache.max-entries",
				new Default(NearCache.DEFAULT_MAX_ENTRIES, (p) -> p.getNearCache().getMaxEntries()));
		defaults.put("app.cache.near-cache.max-local-ttl",
				new Default(NearCache.DEFAULT_MAX_LOCAL_TTL, (p) -> p.getNearCache().getMaxLocalTtl()));
		defaults.put("app.cache.near-cache.heartbeat",
				new Default(NearCache.DEFAULT_HEARTBEAT, (p) -> p.getNearCache().getHeartbeat()));
		defaults.put("app.cache.near-cache.tracking",
				new Default(NearCache.defaults().tracking(), (p) -> p.getNearCache().getTracking()));
		defaults.put("app.cache.near-cache.copy-on-read",
				new Default(NearCache.defaults().copyOnRead(), (p) -> p.getNearCache().isCopyOnRead()));
		defaults.put("app.cache.near-cache.outage-mode",
				new Default(NearCache.defaults().outageMode(), (p) -> p.getNearCache().getOutageMode()));
		defaults.put("app.cache.tags.enabled", new Default(false, (p) -> p.getTags().resolve(null)));
		// compression's defaults live in Compression (and it is off)
		defaults.put("app.cache.compression.algorithm",
				new Default(CompressionAlgorithm.NONE, (p) -> p.getCompression().getAlgorithm()));
		defaults.put("app.cache.compression.threshold",
				new Default(DataSize.ofBytes(Compression.DEFAULT_THRESHOLD), (p) -> p.getCompression().getThreshold()));
		defaults.put("app.cache.compression.max-decompressed-size", new Default(
				DataSize.ofBytes(Compression.DEFAULT_MAX_DECOMPRESSED_SIZE), (p) -> p.getCompression().getMaxDecompressedSize()));
		return defaults;
	}

	@Test
	void thePropertiesStartFromCacheDefaults() {
		CacheKitProperties properties = new CacheKitProperties();
		defaults().forEach((name, d) -> assertThat(d.property().apply(properties)).as(name).isEqualTo(d.value()));
	}

	@Test
	void theConfigurationMetadataShowsCacheDefaults() throws Exception {
		Map<String, JsonNode> metadata = new LinkedHashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("metadata generated by the configuration processor").isNotNull();
			JsonMapper.builder().build().readTree(in).path("properties").forEach((p) -> metadata.put(p.path("name").asString(), p));
		}
		defaults().forEach((name, d) -> {
			JsonNode property = metadata.get(name);
			assertThat(property).as(name).isNotNull();
			JsonNode shown = property.path("defaultValue");
			assertThat(shown.isMissingNode()).as(name + " has a default in the metadata").isFalse();
			assertThat(conversion.convert(shown.asString(), d.value().getClass())).as(name).isEqualTo(d.value());
		});
	}

	@Test
	void theDocumentedPropertyTablesShowCacheDefaults() throws Exception {
		// README.md shows the most used rows, docs/properties.md every property, docs/near-cache.md the near cache's:
		// every row of every table must agree, and every default must be shown somewhere
		List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md")));
		try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
			docs.filter((p) -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (Path page : pages) {
			Matcher row = Pattern.compile("(?m)^\\| `(app\\.cache\\.[a-z.-]+)` \\| `([^`|]*)` \\|").matcher(Files.readString(page));
			while (row.find()) {
				rows.computeIfAbsent(row.group(1), (k) -> new ArrayList<>()).add(row.group(2));
			}
		}
		assertThat(rows).as("docs/properties.md has the table").containsKey("app.cache.enabled");
		defaults().forEach((name, d) -> {
			assertThat(rows).as("a property table in README.md or docs/ has " + name).containsKey(name);
			rows.get(name).forEach((shown) -> assertThat(conversion.convert(shown, d.value().getClass())).as(name).isEqualTo(d.value()));
		});
	}

	private record Default(Object value, Function<CacheKitProperties, Object> property) {
	}

}
