package io.cachekit.inmemory;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.layer.CacheLevel;
import io.cachekit.core.layer.ForwardingCacheLevel;
import io.cachekit.core.layer.LayerContext;

/**
 * The async face of an {@link InMemoryCacheBackend}: the top of its stack as it is, except that
 * its blocking face is the backend itself ({@code backend.async().sync() == backend}).
 */
final class AsyncInMemoryCacheBackend<T> extends ForwardingCacheLevel<T> {

	private final InMemoryCacheBackend<T> sync;

	AsyncInMemoryCacheBackend(CacheLevel<T> top, LayerContext<T> context, InMemoryCacheBackend<T> sync) {
		super(top, context);
		this.sync = sync;
	}

	@Override
	public CacheBackend<T> sync() {
		return this.sync;
	}

}
