package io.cachekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;

/**
 * A Lua script run with EVALSHA, falling back to EVAL (which also caches it on that server)
 * when the server answers NOSCRIPT: after a restart, a failover, or on a new cluster node.
 */
final class Script {

	/** Creates a counter at ARGV[1] with TTL ARGV[3] ms (0: none) if absent, then INCRBY ARGV[2]. */
	static final Script COUNTER = new Script("""
			if redis.call('EXISTS', KEYS[1]) == 0 then
			  local ttl = tonumber(ARGV[3])
			  if ttl > 0 then
			    redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
			  else
			    redis.call('SET', KEYS[1], ARGV[1])
			  end
			end
			return redis.call('INCRBY', KEYS[1], ARGV[2])
			""");

	/** Sets KEYS[i] to ARGV[i + 1] with TTL ARGV[1] ms (0: none), all in one atomic step. */
	static final Script SET_MANY = new Script("""
			local ttl = tonumber(ARGV[1])
			for i = 1, #KEYS do
			  if ttl > 0 then
			    redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ttl)
			  else
			    redis.call('SET', KEYS[i], ARGV[i + 1])
			  end
			end
			return #KEYS
			""");

	/**
	 * Answers KEYS[1]'s value and its remaining TTL ({@code PTTL}) in one reply, {@code [value or
	 * nil, pttl]}. The reads inside are tracked for the calling client like its own (Redis 6+).
	 */
	static final Script READ_WITH_TTL = new Script("""
			return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
			""");

	private final byte[] source;

	private final String sha;

	Script(String source) {
		this.source = source.getBytes(StandardCharsets.UTF_8);
		try {
			this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Runs the script; each command sent is bounded and proven through {@code link}. */
	CompletionStage<Long> run(Route link, String[] keys, byte[]... args) {
		return run(link, ScriptOutputType.INTEGER, keys, args);
	}

	/** Runs the script, its reply of {@code type}; each command sent is bounded and proven through {@code link}. */
	<R> CompletionStage<R> run(Route link, ScriptOutputType type, String[] keys, byte[]... args) {
		CompletionStage<R> first = link.send((r) -> r.<R>evalsha(this.sha, type, keys, args));
		return first.handle((result, ex) -> {
			if (ex == null) {
				return CompletableFuture.completedFuture(result);
			}
			Throwable cause = (ex instanceof java.util.concurrent.CompletionException) ? ex.getCause() : ex;
			if (cause instanceof RedisNoScriptException) {
				return link.send((r) -> r.<R>eval(this.source, type, keys, args));
			}
			return CompletableFuture.<R>failedFuture(cause);
		}).thenCompose((stage) -> stage);
	}

}
