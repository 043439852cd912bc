package io.cachekit.redis.internal;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisURI;

/**
 * Whether the Netty transport that a target needs is there. Lettuce reaches a Unix domain socket
 * ({@code redis-socket://}) only through Netty's native epoll (Linux) or kqueue (macOS)
 * transport; without one every connection attempt fails, and in fail-open mode every call would
 * silently be a miss forever. A URL that can never work here is a configuration error, so
 * {@code initialize()} fails in every failure mode, saying what to add.
 *
 * <p>cache-core ships {@code netty-transport-native-epoll} for {@code linux-x86_64} and
 * {@code linux-aarch_64}; other systems need the matching native jar of their own.
 */
final class Transports {

	private Transports() {
	}

	/**
	 * Throws when one of {@code uris} is a Unix domain socket and no native transport that can
	 * open one is available.
	 * @param target the target as shown to people (credentials masked)
	 * @throws IllegalStateException naming the target and the dependency to add
	 */
	static void checkUnixSockets(Collection<RedisURI> uris, String target) {
		if (uris.stream().noneMatch((uri) -> uri.getSocket() != null) || domainSocketsSupported()) {
			return;
		}
		throw new IllegalStateException(unsupportedMessage(target, System.getProperty("os.name", "?"),
				System.getProperty("os.arch", "?"), epollUnavailabilityCause()));
	}

	static String unsupportedMessage(String target, String osName, String osArch, @Nullable String cause) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = nettyArch(osArch);
		StringBuilder message = new StringBuilder("Cannot connect to ").append(target)
			.append(": a Unix domain socket needs Netty's native epoll (Linux) or kqueue (macOS) transport, and neither is available on ")
			.append(osName).append('/').append(osArch).append(". ");
		if (os.contains("linux")) {
			message.append("cache-core brings io.netty:netty-transport-native-epoll for linux-x86_64 and linux-aarch_64; ")
				.append("on this machine add io.netty:netty-transport-native-epoll with classifier linux-").append(arch)
				.append(" (at your Netty version), or make sure its native library can load");
			if (cause != null) {
				message.append(" (").append(cause).append(')');
			}
			message.append('.');
		}
		else if (os.contains("mac") || os.contains("darwin") || os.contains("bsd")) {
			message.append("Add io.netty:netty-transport-native-kqueue with classifier ")
				.append(os.contains("mac") || os.contains("darwin") ? "osx-" : "").append(arch)
				.append(" (at your Netty version), or connect over TCP (redis://host:port).");
		}
		else {
			message.append("Netty has no Unix domain socket transport for this system: connect over TCP (redis://host:port).");
		}
		return message.toString();
	}

	private static boolean domainSocketsSupported() {
		try {
			return io.lettuce.core.resource.Transports.NativeTransports.isDomainSocketSupported();
		}
		catch (LinkageError ex) {
			// the native transport classes were excluded from the class path
			return false;
		}
	}

	private static @Nullable String epollUnavailabilityCause() {
		try {
			Throwable cause = io.netty.channel.epoll.Epoll.unavailabilityCause();
			if (cause == null) {
				return "Netty's epoll is available, but Lettuce's use of it is switched off: system property io.lettuce.core.epoll=false";
			}
			return String.valueOf(cause.getMessage());
		}
		catch (LinkageError ex) {
			return "netty-transport-classes-epoll is not on the class path";
		}
	}

	/** Netty's name for a CPU architecture in its classifiers ({@code x86_64}, {@code aarch_64}). */
	private static String nettyArch(String osArch) {
		String arch = osArch.toLowerCase(Locale.ROOT);
		if (arch.equals("amd64") || arch.equals("x86_64")) {
			return "x86_64";
		}
		if (arch.equals("aarch64") || arch.equals("arm64")) {
			return "aarch_64";
		}
		return arch;
	}

}
