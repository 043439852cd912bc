package io.cachekit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The test servers themselves: they start, restart, and leave nothing behind. */
class RedisProcessTest {

	@Test
	void closeStopsTheProcessAndDeletesItsDirectory() {
		RedisProcess redis = RedisProcess.start();
		assertThat(Resp.pings(redis.host(), redis.port())).isTrue();
		assertThat(Files.isDirectory(redis.dir())).isTrue();
		redis.close();
		assertThat(redis.isRunning()).isFalse();
		assertThat(Resp.pings(redis.host(), redis.port())).isFalse();
		assertThat(Files.exists(redis.dir())).isFalse();
	}

	@Test
	void stopAndRestartKeepThePort() {
		try (RedisProcess redis = RedisProcess.start()) {
			redis.stop();
			assertThat(Resp.pings(redis.host(), redis.port())).isFalse();
			redis.restart();
			assertThat(Resp.pings(redis.host(), redis.port())).isTrue();
		}
	}

	@Test
	void serversListenOutsideTheEphemeralRangeSoARestartFindsItsPortFree() throws Exception {
		java.nio.file.Path range = java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range");
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(range), "Linux's ephemeral port range");
		int ephemeralLow = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
		try (RedisProcess redis = RedisProcess.start()) {
			assertThat(redis.port()).isLessThan(ephemeralLow);
			assertThat(redis.port() + 10_000).as("a cluster node's bus port too").isLessThan(ephemeralLow);
		}
		java.util.Set<Integer> ports = new java.util.HashSet<>();
		for (int i = 0; i < 100; i++) {
			assertThat(ports.add(RedisProcess.freePort())).as("a port handed out once").isTrue();
		}
	}

	@Test
	void aRestartOnAPortAnotherProcessTookSaysSo() throws Exception {
		try (RedisProcess redis = RedisProcess.start()) {
			redis.stop();
			try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
				squatter.bind(new java.net.InetSocketAddress("127.0.0.1", redis.port()));
				assertThatThrownBy(redis::restart).isInstanceOf(RedisProcess.PortTakenException.class)
					.hasMessageContaining("another process took the port");
			}
		}
	}

	@Test
	void aServerThatCannotStartSaysWhyAndLeavesNothing() {
		assertThatThrownBy(() -> RedisProcess.start("--no-such-option", "1")).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("exited at start-up");
	}

	@Test
	void clusterComesTogetherAndClosesCompletely() {
		RedisCluster cluster = RedisCluster.start(3);
		List<RedisProcess> nodes = cluster.nodes();
		assertThat(nodes).hasSize(6);
		assertThat((String) Resp.call(nodes.get(0).host(), nodes.get(0).port(), "CLUSTER", "INFO"))
			.contains("cluster_state:ok", "cluster_size:3");
		cluster.close();
		assertThat(nodes).noneMatch(RedisProcess::isRunning).allMatch((n) -> !Files.exists(n.dir()));
	}

}
