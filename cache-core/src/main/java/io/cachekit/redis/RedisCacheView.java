package io.cachekit.redis;

import io.cachekit.core.layer.AwaitingCacheBackend;
import io.cachekit.core.layer.CacheLevel;

/**
 * A view of a {@link RedisCacheBackend} with another serializer (and possibly other layers):
 * the same connection, prefix, TTL and failure policy. Its lifecycle is its backend's
 * ({@link #getBackend()}).
 *
 * @param <T> the value type of the view
 */
public final class RedisCacheView<T> extends AwaitingCacheBackend<T> {

	private final RedisCacheBackend<?> backend;

	RedisCacheView(RedisCacheBackend<?> backend, CacheLevel<T> top) {
		super(top, backend.getCommandTimeout(), backend.getFailureMode(), backend.getTarget());
		this.backend = backend;
	}

	/**
	 * The backend this is a view of, which owns the connection and the lifecycle.
	 * @return the backend
	 */
	public RedisCacheBackend<?> getBackend() {
		return this.backend;
	}

	/**
	 * The prefix of every key this view writes: its backend's.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.backend.getPrefix();
	}

	@Override
	public String toString() {
		return "RedisCacheView[" + this.backend.getTarget() + ", prefix=" + getPrefix() + "]";
	}

}
