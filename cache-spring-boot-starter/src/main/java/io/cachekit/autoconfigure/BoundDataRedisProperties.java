package io.cachekit.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's {@code spring.data.redis.*} connection properties, read with Boot's
 * {@link Binder} (relaxed names, environment variables, placeholders, as Boot reads them) into
 * CacheKit's own record, for applications without {@code spring-boot-data-redis}: no type of
 * that module is used. Also knows which {@code spring.data.redis.*} properties are set at all, to
 * refuse or name those CacheKit cannot honour.
 *
 * @param url {@code spring.data.redis.url}, or {@code null}
 * @param host {@code spring.data.redis.host} (Boot's default {@code localhost})
 * @param port {@code spring.data.redis.port} (6379)
 * @param database {@code spring.data.redis.database} (0)
 * @param username {@code spring.data.redis.username}, or {@code null}
 * @param password {@code spring.data.redis.password}, or {@code null}
 * @param timeout {@code spring.data.redis.timeout}, or {@code null}
 * @param connectTimeout {@code spring.data.redis.connect-timeout}, or {@code null}
 * @param clientName {@code spring.data.redis.client-name}, or {@code null}
 * @param sslEnabled {@code spring.data.redis.ssl.enabled}, or {@code null} (then: whether a bundle is named)
 * @param sslBundle {@code spring.data.redis.ssl.bundle}, or {@code null}
 * @param sentinelMaster {@code spring.data.redis.sentinel.master}, or {@code null}
 * @param sentinelNodes {@code spring.data.redis.sentinel.nodes} ({@code host:port}), empty when not set
 * @param sentinelUsername {@code spring.data.redis.sentinel.username}, or {@code null}
 * @param sentinelPassword {@code spring.data.redis.sentinel.password}, or {@code null}
 * @param clusterNodes {@code spring.data.redis.cluster.nodes} ({@code host:port}), empty when not set
 * @param setNames every {@code spring.data.redis.*} property set, in Boot's canonical form
 */
record BoundDataRedisProperties(@Nullable String url, String host, int port, int database, @Nullable String username,
		@Nullable String password, @Nullable Duration timeout, @Nullable Duration connectTimeout,
		@Nullable String clientName, @Nullable Boolean sslEnabled, @Nullable String sslBundle,
		@Nullable String sentinelMaster, List<String> sentinelNodes, @Nullable String sentinelUsername,
		@Nullable String sentinelPassword, List<String> clusterNodes, Set<String> setNames) {

	static final String PREFIX = "spring.data.redis";

	/** Reads {@code spring.data.redis.*} from {@code environment}. */
	static BoundDataRedisProperties bind(Environment environment) {
		Binder binder = Binder.get(environment);
		return new BoundDataRedisProperties(string(binder, "url"), binder.bind(PREFIX + ".host", String.class).orElse("localhost"),
				binder.bind(PREFIX + ".port", Integer.class).orElse(6379),
				binder.bind(PREFIX + ".database", Integer.class).orElse(0), string(binder, "username"),
				string(binder, "password"), binder.bind(PREFIX + ".timeout", Duration.class).orElse(null),
				binder.bind(PREFIX + ".connect-timeout", Duration.class).orElse(null), string(binder, "client-name"),
				binder.bind(PREFIX + ".ssl.enabled", Boolean.class).orElse(null), string(binder, "ssl.bundle"),
				string(binder, "sentinel.master"), list(binder, "sentinel.nodes"), string(binder, "sentinel.username"),
				string(binder, "sentinel.password"), list(binder, "cluster.nodes"), setNames(environment));
	}

	/** Whether any {@code spring.data.redis.*} property is set. */
	boolean isSet() {
		return !this.setNames.isEmpty();
	}

	/** Boot's rule: TLS when {@code ssl.enabled} says so, else when a bundle is named, or the URL is {@code rediss://}. */
	boolean ssl() {
		boolean enabled = (this.sslEnabled != null) ? this.sslEnabled : this.sslBundle != null;
		return enabled || (this.url != null && this.url.strip().startsWith("rediss:"));
	}

	/** Never the passwords. */
	@Override
	public String toString() {
		return "BoundDataRedisProperties" + this.setNames;
	}

	private static @Nullable String string(Binder binder, String name) {
		return binder.bind(PREFIX + "." + name, String.class).orElse(null);
	}

	private static List<String> list(Binder binder, String name) {
		return binder.bind(PREFIX + "." + name, Bindable.listOf(String.class)).orElse(List.of());
	}

	/**
	 * The {@code spring.data.redis.*} names set in the sources that can list their names
	 * (properties files, YAML, the command line, environment variables, system properties),
	 * without list indexes ({@code sentinel.nodes[0]} counts as {@code sentinel.nodes}).
	 */
	private static Set<String> setNames(Environment environment) {
		ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(prefix::isAncestorOf).forEach((name) -> names.add(withoutIndexes(name)));
			}
		}
		return names;
	}

	private static String withoutIndexes(ConfigurationPropertyName name) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			if (name.isNumericIndex(i)) {
				continue;
			}
			if (!out.isEmpty()) {
				out.append('.');
			}
			out.append(name.getElement(i, ConfigurationPropertyName.Form.DASHED));
		}
		return out.toString();
	}

}
