package io.cachekit.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Where an operation's commands go. On a single server or Sentinel it is the one {@link Link};
 * on a Redis Cluster it routes each command to the {@link Link} of the master that owns its key's
 * slot, following {@code MOVED} and {@code ASK}, so that every command, on every topology, leaves
 * through a link whose replies are proven in step.
 */
interface Route {

	/**
	 * Sends a command that has no key (or whose keys all hash to the slot this route was chosen
	 * for), bounded by the command timeout, its reply proven in step.
	 * @param command sends the command through the given commands (a Lettuce call)
	 */
	default <V> CompletableFuture<V> send(
			Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<V>> command) {
		return onLink((link) -> link.send(command));
	}

	/**
	 * Runs {@code body} on the link this route resolves to now; on a cluster, runs it again on
	 * the link a {@code MOVED} or {@code ASK} reply names.
	 */
	<V> CompletableFuture<V> onLink(Function<Link, ? extends CompletionStage<V>> body);

	/**
	 * The route of the master that owns {@code redisKey}'s slot ({@code this} on a single server).
	 * @param redisKey a stored key
	 */
	Route forKey(String redisKey);

	/** One route per master: every master of a cluster; {@code this} alone elsewhere. */
	List<Route> masters();

}
