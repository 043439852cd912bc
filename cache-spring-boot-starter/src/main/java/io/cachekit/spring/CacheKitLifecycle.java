package io.cachekit.spring;

import java.util.List;

import org.springframework.context.SmartLifecycle;

import io.cachekit.redis.RedisCacheBackend;

/**
 * Initializes CacheKit backends when the application context starts and shuts them down when it
 * stops: every {@code RedisCacheBackend} bean, the auto-configured one or the application's own.
 * A {@code CacheBackend} of another kind (a decorator) is not managed here; the backend it wraps
 * is, when that is a bean. Its phase puts the cache up before the web server takes traffic and takes it down after
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

	/**
	 * A lifecycle that initializes and shuts down {@code backends}.
	 * @param backends the backends to start and stop
	 */
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
		// one backend failing to close must not leave the others open
		RuntimeException failure = null;
		for (RedisCacheBackend<?> backend : this.backends) {
			try {
				backend.shutdown();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
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
