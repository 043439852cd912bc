package io.cachekit.spring.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * The meters of CacheKit's observations, the ones {@link DefaultMeterObservationHandler} makes
 * (a timer named after the observation, tagged with its low-cardinality key values and
 * {@code error}; a long task timer {@code <name>.active} tagged with the key values at the start;
 * a counter per event), without its cost per call: each timer is looked up in the registry once
 * per set of tags and then taken from a map keyed by the observation's key values, and the start
 * of a call is kept in its {@link CacheKitObservationContext}, not in a sample stored in the
 * context's map. Only {@link CacheKitObservationContext}s are handled; every other observation is
 * left to the next handler.
 *
 * <p>Spring Boot puts every {@link MeterObservationHandler} bean into one group whose first
 * handler supporting a context is the only one to see it: ordered before Boot's
 * {@code DefaultMeterObservationHandler}, this one records CacheKit's observations and Boot's
 * records the rest (with Micrometer Tracing, Boot wraps both alike for exemplars).
 *
 * <p>A meter removed from the registry after its first use keeps being recorded here (the
 * registry makes a new one for the default handler); CacheKit's meters are never removed by
 * CacheKit.
 */
public final class CacheKitMeterObservationHandler implements MeterObservationHandler<CacheKitObservationContext> {

	private static final String NO_ERROR = "none";

	private final MeterRegistry registry;

	private final Clock clock;

	private final boolean longTaskTimers;

	/** Timers of calls that ended without an exception, by observation name, then key values. */
	private final Map<String, Map<KeyValues, Timer>> timers = new ConcurrentHashMap<>();

	/** Long task timers, by observation name, then the key values at the start. */
	private final Map<String, Map<KeyValues, LongTaskTimer>> active = new ConcurrentHashMap<>();

	/**
	 * A handler that records in {@code registry}.
	 * @param registry where the meters are
	 * @param longTaskTimers whether a long task timer {@code <name>.active} counts the calls in
	 *     flight (Spring Boot: unless {@code management.metrics.observations.ignored-meters}
	 *     names {@code long-task-timer})
	 */
	public CacheKitMeterObservationHandler(MeterRegistry registry, boolean longTaskTimers) {
		this.registry = registry;
		this.clock = registry.config().clock();
		this.longTaskTimers = longTaskTimers;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof CacheKitObservationContext;
	}

	@Override
	public void onStart(CacheKitObservationContext context) {
		if (this.longTaskTimers) {
			context.activeSample = longTaskTimer(context).start();
		}
		context.startNanos = this.clock.monotonicTime();
	}

	@Override
	public void onStop(CacheKitObservationContext context) {
		long duration = this.clock.monotonicTime() - context.startNanos;
		timer(context).record(duration, TimeUnit.NANOSECONDS);
		if (context.activeSample instanceof LongTaskTimer.Sample sample) {
			sample.stop();
		}
	}

	@Override
	public void onEvent(Observation.Event event, CacheKitObservationContext context) {
		// CacheKit signals no events: counted as the default handler counts them, uncached
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context.getLowCardinalityKeyValues()))
			.register(this.registry)
			.increment();
	}

	private Timer timer(CacheKitObservationContext context) {
		String name = context.getName();
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		Throwable error = context.getError();
		if (error != null) {
			// a thrown exception: rare, and tagged with its class, so looked up as the default does
			List<Tag> tags = tags(keyValues);
			tags.add(Tag.of("error", error.getClass().getSimpleName()));
			return this.registry.timer(name, tags);
		}
		Map<KeyValues, Timer> byKeyValues = byName(this.timers, name);
		Timer timer = byKeyValues.get(keyValues);
		if (timer == null) {
			List<Tag> tags = tags(keyValues);
			tags.add(Tag.of("error", NO_ERROR));
			timer = this.registry.timer(name, tags);
			byKeyValues.putIfAbsent(keyValues, timer);
		}
		return timer;
	}

	private LongTaskTimer longTaskTimer(CacheKitObservationContext context) {
		String name = context.getName();
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		Map<KeyValues, LongTaskTimer> byKeyValues = byName(this.active, name);
		LongTaskTimer timer = byKeyValues.get(keyValues);
		if (timer == null) {
			timer = this.registry.more().longTaskTimer(name + ".active", tags(keyValues));
			byKeyValues.putIfAbsent(keyValues, timer);
		}
		return timer;
	}

	private static <M> Map<KeyValues, M> byName(Map<String, Map<KeyValues, M>> meters, String name) {
		Map<KeyValues, M> byKeyValues = meters.get(name);
		if (byKeyValues == null) {
			byKeyValues = meters.computeIfAbsent(name, (n) -> new ConcurrentHashMap<>());
		}
		return byKeyValues;
	}

	private static List<Tag> tags(KeyValues keyValues) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return tags;
	}

}
