package io.cachekit.spring;

import java.util.List;

import org.springframework.context.SmartLifecycle;

import io.cachekit.redis.RedisCacheBackend;

/**
 * Initializes CacheKit backends when the application context starts and shuts them down when it
 * stops. Its phase puts the cache up before the web server takes traffic and takes it down after
 * the web server has finished its graceful shutdown.
 */
public class CacheKitLifecycle implements SmartLifecycle {

	/**
	 * Below the web server's start/stop ({@code DEFAULT_PHASE - 2048}) and graceful-shutdown
	 * ({@code DEFAULT_PHASE - 1024}) phases: started earlier, stopped later.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final List<RedisCacheBackend<?>> backends;

	private volatile boolean running;

	public CacheKitLifecycle(List<RedisCacheBackend<?>> backends) {
		this.backends = List.copyOf(backends);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.backends.forEach(RedisCacheBackend::initialize);
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.backends.forEach(RedisCacheBackend::shutdown);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
