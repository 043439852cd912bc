package io.cachekit.redis;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.cachekit.core.ErrorCode;
import io.cachekit.redis.internal.Engine;

/** A backend's diagnostics, read from its engine. */
final class EngineDiagnostics implements RedisDiagnostics {

	private final Engine engine;

	EngineDiagnostics(Engine engine) {
		this.engine = engine;
	}

	@Override
	public String target() {
		return this.engine.target();
	}

	@Override
	public boolean isConnected() {
		return this.engine.isConnected();
	}

	@Override
	public boolean isCircuitOpen() {
		return this.engine.isCircuitOpen();
	}

	@Override
	public long failureCount(String operation, ErrorCode code) {
		return this.engine.failureCount(operation, code);
	}

	@Override
	public CompletableFuture<Optional<String>> serverVersion() {
		return this.engine.serverVersion();
	}

	@Override
	public String toString() {
		return "RedisDiagnostics[" + this.engine.target() + "]";
	}

}
