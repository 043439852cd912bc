package io.cachekit.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a {@code redis-server} executable: the one on {@code PATH}, else the binary shipped
 * inside {@code com.github.codemonstur:embedded-redis}, extracted once per JVM into a
 * temporary directory that is deleted when the JVM exits.
 */
public final class RedisBinary {

	private static volatile Path resolved;

	private static volatile String source;

	private RedisBinary() {
	}

	/** The executable to run. */
	public static synchronized Path path() {
		if (resolved == null) {
			// CACHEKIT_TEST_EMBEDDED_REDIS=true forces the embedded binary, to test that path too.
			boolean forceEmbedded = Boolean.parseBoolean(System.getenv("CACHEKIT_TEST_EMBEDDED_REDIS"));
			Optional<Path> onPath = forceEmbedded ? Optional.empty() : findOnPath();
			if (onPath.isPresent()) {
				resolved = onPath.get();
				source = "redis-server on PATH (" + resolved + ")";
			}
			else {
				resolved = extractEmbedded();
				source = "redis-server binary from embedded-redis (" + resolved.getFileName() + ")";
			}
		}
		return resolved;
	}

	/** Where {@link #path()} came from, for the one line the suite prints. */
	public static String source() {
		path();
		return source;
	}

	/** Whether the resolved binary can speak TLS (Debian's can, the embedded one cannot). */
	public static boolean supportsTls() {
		return source().startsWith("redis-server on PATH");
	}

	static Optional<Path> findOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	private static Path extractEmbedded() {
		String resource = embeddedResourceName();
		try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server on PATH and no embedded binary '" + resource
						+ "' on the classpath: install redis-server (Debian: apt-get install -y redis-server)");
			}
			Path dir = Files.createTempDirectory("cachekit-redis-bin");
			Path binary = dir.resolve("redis-server");
			Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
			binary.toFile().setExecutable(true, true);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					Files.deleteIfExists(binary);
					Files.deleteIfExists(dir);
				}
				catch (IOException ignored) {
					// best effort at JVM exit
				}
			}, "cachekit-redis-binary-cleanup"));
			return binary;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract the embedded redis-server", ex);
		}
	}

	private static String embeddedResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm64");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		throw new IllegalStateException("No embedded redis-server for " + os + "/" + arch
				+ ": install redis-server or set CACHEKIT_TEST_REDIS_URL");
	}

}
