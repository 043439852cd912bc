package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;

/**
 * Creates the Lettuce client of a target with CacheKit's options: socket options with TCP
 * keepalive (and TCP_USER_TIMEOUT on native transports), Lettuce's per-command timers off, commands
 * rejected while disconnected; for a cluster, topology refresh; for a single server or Sentinel,
 * Lettuce's auto-reconnect off. The application's customizer runs last.
 */
final class LettuceClients {

	private LettuceClients() {
	}

	@SuppressWarnings("deprecation") // Lettuce 7.5 deprecates adaptive refresh triggers without a replacement yet
	static AbstractRedisClient create(RedisTarget target, Duration commandTimeout, Duration connectTimeout,
			@Nullable String clientName, @Nullable SslVerifyMode verifyMode, Consumer<ClientOptions.Builder> customizer,
			ClientResources resources) {
		for (RedisURI uri : target.uris()) {
			uri.setTimeout(commandTimeout);
			if (clientName != null) {
				uri.setClientName(clientName);
			}
			if (verifyMode != null) {
				uri.setVerifyPeer(verifyMode);
			}
			uri.getSentinels().forEach((sentinel) -> sentinel.setTimeout(commandTimeout));
		}
		// A peer that stops answering without closing is found by the reply fence within the command
		// timeout; TCP keepalive and TCP_USER_TIMEOUT (native transports) also end such a
		// connection when no command is in flight to notice it.
		SocketOptions.Builder socket = SocketOptions.builder()
			.connectTimeout(connectTimeout)
			.keepAlive(SocketOptions.KeepAliveOptions.builder()
				.enable()
				.idle(Duration.ofSeconds(5))
				.interval(Duration.ofSeconds(1))
				.count(3)
				.build());
		if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
			socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
				.enable()
				.tcpUserTimeout(Duration.ofSeconds(10))
				.build());
		}
		SocketOptions socketOptions = socket.build();
		// Lettuce's per-command timers (on by default, at the URI's timeout) are turned off:
		// CommandDeadlines bounds every command by the command timeout at a fraction of their cost.
		TimeoutOptions timeoutOptions = TimeoutOptions.builder().timeoutCommands(false).build();
		if (target.isCluster()) {
			RedisClusterClient cluster = RedisClusterClient.create(resources, target.uris());
			ClusterClientOptions.Builder options = ClusterClientOptions.builder()
				.socketOptions(socketOptions)
				.timeoutOptions(timeoutOptions)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
					.enablePeriodicRefresh(Duration.ofSeconds(30))
					.build());
			applySsl(target, options);
			customizer.accept(options);
			cluster.setOptions(options.build());
			return cluster;
		}
		RedisClient standalone = RedisClient.create(resources);
		ClientOptions.Builder options = ClientOptions.builder()
			.socketOptions(socketOptions)
			.timeoutOptions(timeoutOptions)
			// One way back from every failure: a lost connection is replaced like a silent or
			// out-of-step one (see condemn), by our retries, whose log lines are rate-limited.
			.autoReconnect(false)
			// Once the connection is known to be lost, fail at once instead of queueing until the timeout.
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		applySsl(target, options);
		customizer.accept(options);
		standalone.setOptions(options.build());
		return standalone;
	}

	/** The target's TLS material, before the application's customizer (which may replace it). */
	private static void applySsl(RedisTarget target, ClientOptions.Builder options) {
		SslOptions sslOptions = target.sslOptions();
		if (sslOptions != null) {
			options.sslOptions(sslOptions);
		}
	}

}
