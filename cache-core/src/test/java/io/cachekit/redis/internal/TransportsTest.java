package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisURI;

/** What a unix socket URL without a native transport is told (the rest is in UnixSocketTest). */
class TransportsTest {

	@Test
	void tcpUrlsNeedNoNativeTransport() {
		// the check only concerns socket URLs: a TCP target passes wherever it runs
		Transports.checkUnixSockets(List.of(RedisURI.create("redis://localhost:6379")), "redis://localhost:6379");
	}

	@Test
	void withoutANativeTransportTheMessageNamesTheTargetAndTheDependency() {
		String target = "redis-socket:///var/run/redis.sock";
		assertThat(Transports.unsupportedMessage(target, "Mac OS X", "aarch64", null))
			.contains("Cannot connect to " + target)
			.contains("io.netty:netty-transport-native-kqueue with classifier osx-aarch_64");
		assertThat(Transports.unsupportedMessage(target, "Linux", "riscv64", "could not load libnetty_transport_native_epoll"))
			.contains("io.netty:netty-transport-native-epoll with classifier linux-riscv64")
			.contains("could not load libnetty_transport_native_epoll");
		assertThat(Transports.unsupportedMessage(target, "Windows 11", "amd64", null))
			.contains("Netty has no Unix domain socket transport for this system")
			.contains("redis://host:port");
	}

}
