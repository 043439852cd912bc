package io.cachekit.redis;

import java.util.List;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.layer.CacheLayer;
import io.cachekit.core.layer.LayeredCacheBackend;

/**
 * A view of a {@link RedisCacheBackend} with another serializer (and possibly other layers):
 * the same connection, prefix, TTL and failure policy. Its lifecycle is its backend's
 * ({@link #getBackend()}).
 *
 * @param <T> the value type of the view
 */
public final class RedisCacheView<T> extends LayeredCacheBackend<T> {

	private final RedisCacheBackend<?> backend;

	RedisCacheView(RedisCacheBackend<?> backend, CacheSerializer<T> serializer, List<CacheLayer> layers) {
		super(new EngineStack(backend.engine()), serializer, layers);
		this.backend = backend;
	}

	/**
	 * The backend this is a view of, which owns the connection and the lifecycle.
	 * @return the backend
	 */
	public RedisCacheBackend<?> getBackend() {
		return this.backend;
	}

	@Override
	protected <U> LayeredCacheBackend<U> view(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		return new RedisCacheView<>(this.backend, serializer, layers);
	}

	@Override
	public String toString() {
		return "RedisCacheView[" + getTarget() + ", prefix=" + getPrefix() + "]";
	}

}
