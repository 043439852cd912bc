package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.cachekit.core.FailureMode;
import io.cachekit.core.OperationListener;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;

/**
 * Everything an {@link Engine} is built from, checked by the builder that made it.
 *
 * @param target where Redis is
 * @param clientName the CLIENT SETNAME of the connection, or {@code null}
 * @param sslVerifyMode how a TLS peer is verified, or {@code null} for Lettuce's default
 * @param clientOptions adjusts Lettuce's client options after CacheKit set its own
 * @param clientResources Lettuce resources to share, or {@code null} for the engine's own
 * @param connectTimeout how long establishing a connection may take
 * @param commandTimeout how long one command may take
 * @param prefix the prefix of every key
 * @param defaultTtl the TTL of entries written without one
 * @param failureMode what an outage does to callers
 * @param breakerThreshold consecutive failures that open a circuit (0: no circuit)
 * @param breakerOpenDuration how long a circuit stays open
 * @param failureLogInterval at most one WARN per error code per interval
 * @param deleteUnreadable whether an unreadable value read in fail-open mode is deleted
 * @param listener told about every operation
 * @param decodeExecutor where the non-blocking face decodes values
 */
public record EngineSettings(RedisTarget target, @Nullable String clientName, @Nullable SslVerifyMode sslVerifyMode,
		Consumer<ClientOptions.Builder> clientOptions, @Nullable ClientResources clientResources, Duration connectTimeout,
		Duration commandTimeout, String prefix, Duration defaultTtl, FailureMode failureMode, int breakerThreshold,
		Duration breakerOpenDuration, Duration failureLogInterval, boolean deleteUnreadable, OperationListener listener,
		Executor decodeExecutor) {
}
