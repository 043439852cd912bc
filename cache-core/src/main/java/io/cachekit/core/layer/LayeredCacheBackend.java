package io.cachekit.core.layer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.cachekit.core.CacheSerializer;
import io.cachekit.core.FailureMode;

/**
 * A backend that is a stack: an {@link CacheEngine engine}'s level at the bottom and
 * {@linkplain CacheLayer layers} over it, lowest first, each speaking the same contract; this is
 * the blocking face of the top level. Views with another serializer (and possibly other layers)
 * share the engine. An engine's backend adds only what is its own (a lifecycle, diagnostics, a
 * store to inspect).
 *
 * @param <T> the value type
 */
public abstract class LayeredCacheBackend<T> extends AwaitingCacheBackend<T> {

	private final CacheEngine engine;

	private final LayerContext<T> context;

	private final List<CacheLayer> layers;

	/**
	 * The stack of {@code layers} over {@code engine}'s level for {@code serializer}.
	 * @param engine the bottom of the stack
	 * @param serializer the value serializer
	 * @param layers the layers over the engine, lowest first
	 */
	protected LayeredCacheBackend(CacheEngine engine, CacheSerializer<T> serializer, List<CacheLayer> layers) {
		this(engine, engine.context(Objects.requireNonNull(serializer, "serializer must not be null")),
				List.copyOf(layers));
	}

	private LayeredCacheBackend(CacheEngine engine, LayerContext<T> context, List<CacheLayer> layers) {
		super(stack(engine.level(context.serializer()), context, layers), context.commandTimeout(), context.failureMode(),
				context.target());
		this.engine = engine;
		this.context = context;
		this.layers = layers;
	}

	/** {@code layers} over {@code bottom}, in order: the one stack loop. */
	private static <T> CacheLevel<T> stack(CacheLevel<T> bottom, LayerContext<T> context, List<CacheLayer> layers) {
		CacheLevel<T> level = bottom;
		for (CacheLayer layer : layers) {
			level = Objects.requireNonNull(layer.over(level, context), () -> layer + " answered no level");
		}
		return level;
	}

	/**
	 * A view of this backend with another serializer: the same engine, prefix, TTL, failure mode
	 * and layers, so {@code backend.withSerializer(CacheSerializers.json(Product.class))} gives a
	 * {@code CacheBackend<Product>} without casts.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @return a view of this backend with {@code serializer}
	 */
	public <U> LayeredCacheBackend<U> withSerializer(CacheSerializer<U> serializer) {
		return withSerializer(serializer, this.layers);
	}

	/**
	 * A view of this backend with another serializer and its own layers (instead of this
	 * backend's), over the same engine.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view
	 * @param layers the layers of the view, lowest first
	 * @return a view of this backend with {@code serializer} and {@code layers}
	 */
	public <U> LayeredCacheBackend<U> withSerializer(CacheSerializer<U> serializer, List<CacheLayer> layers) {
		Objects.requireNonNull(serializer, "serializer must not be null");
		Objects.requireNonNull(layers, "layers must not be null");
		return view(serializer, List.copyOf(layers));
	}

	/**
	 * The view {@link #withSerializer(CacheSerializer, List)} answers: a backend of the engine's
	 * kind over the same engine.
	 * @param <U> the value type of the view
	 * @param serializer the serializer of the view (checked)
	 * @param layers the layers of the view (copied)
	 * @return the view
	 */
	protected abstract <U> LayeredCacheBackend<U> view(CacheSerializer<U> serializer, List<CacheLayer> layers);

	/**
	 * What the engine told the layers of this stack.
	 * @return the layers' context
	 */
	protected LayerContext<T> context() {
		return this.context;
	}

	/**
	 * The prefix of every key this backend writes.
	 * @return the prefix
	 */
	public String getPrefix() {
		return this.context.prefix();
	}

	/**
	 * The TTL of entries written without one.
	 * @return the default TTL ({@code ZERO}: no expiry)
	 */
	public Duration getDefaultTtl() {
		return this.engine.defaultTtl();
	}

	/**
	 * What an outage (or unreadable stored bytes) does to callers.
	 * @return the failure mode
	 */
	public FailureMode getFailureMode() {
		return this.context.failureMode();
	}

	/**
	 * Where entries are stored, credentials masked.
	 * @return the masked target
	 */
	public String getTarget() {
		return this.context.target();
	}

	/**
	 * Whether the engine offers its layers the service {@code type} (a layer that needs one, such
	 * as the near cache's client tracking, can go over this backend only when it does).
	 * @param type the service type
	 * @return whether the engine offers it
	 */
	public boolean offers(Class<?> type) {
		return this.context.service(type).isPresent();
	}

	/**
	 * The layers over the engine, lowest first.
	 * @return this backend's layers
	 */
	public List<CacheLayer> getLayers() {
		return this.layers;
	}


	/**
	 * Removes the keys inside the prefix that match {@code glob} and that {@code remove} accepts,
	 * through the engine's {@link KeySweep} (Redis: SCAN and UNLINK, page by page, on every
	 * master). The layers are not asked: a sweep is for keys this stack does not read, such as
	 * the entries of a cache's other versions.
	 * @param glob a Redis glob pattern inside the prefix
	 * @param remove told each matching key without the prefix; {@code true} removes it
	 * @return a future of how many keys were removed; failed with
	 *     {@link UnsupportedOperationException} when the engine offers no sweep, or when the store
	 *     did not answer
	 */
	public CompletableFuture<Long> sweep(String glob, Predicate<String> remove) {
		Optional<KeySweep> sweep = this.context.service(KeySweep.class);
		if (sweep.isEmpty()) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException(
					"the engine under " + getClass().getSimpleName() + " offers no key sweep"));
		}
		return sweep.get().sweep(glob, remove);
	}

}
