package io.cachekit.spring.observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cachekit.core.ErrorCode;
import io.cachekit.spring.observation.CacheKitObservationDocumentation.HighCardinalityKeyNames;
import io.cachekit.spring.observation.CacheKitObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/** The names and tags documented in {@link CacheKitObservationDocumentation}. */
public class DefaultCacheKitObservationConvention implements CacheKitObservationConvention {

	private static final KeyValues HIT = KeyValues.of(HighCardinalityKeyNames.CACHE_HIT.withValue("true"));

	private static final KeyValues MISS = KeyValues.of(HighCardinalityKeyNames.CACHE_HIT.withValue("false"));

	/** Shared instance. */
	public static final DefaultCacheKitObservationConvention INSTANCE = new DefaultCacheKitObservationConvention();

	@Override
	public String getName() {
		return CacheKitObservationDocumentation.OPERATION_NAME;
	}

	/** {@code cachekit <operation>} by operation, made once each (Micrometer asks at every start). */
	private final Map<String, String> contextualNames = new ConcurrentHashMap<>();

	@Override
	public String getContextualName(CacheKitObservationContext context) {
		String operation = context.getOperation();
		String name = this.contextualNames.get(operation);
		if (name == null) {
			name = this.contextualNames.computeIfAbsent(operation, (op) -> "cachekit " + op);
		}
		return name;
	}

	/**
	 * The low-cardinality key values made so far, by operation, cache name and outcome: each set is
	 * made once and answered again for every call (Micrometer asks at the start and the stop of
	 * each observation), so a call allocates none. The three are few: operations and outcomes are
	 * fixed lists, cache names the application's.
	 */
	private final Map<String, Map<String, Map<String, KeyValues>>> lowCardinality = new ConcurrentHashMap<>();

	@Override
	public KeyValues getLowCardinalityKeyValues(CacheKitObservationContext context) {
		String operation = context.getOperation();
		String cacheName = context.getCacheName();
		String outcome = outcome(context);
		Map<String, KeyValues> byOutcome = this.lowCardinality.computeIfAbsent(operation, (op) -> new ConcurrentHashMap<>())
			.computeIfAbsent(cacheName, (name) -> new ConcurrentHashMap<>());
		KeyValues made = byOutcome.get(outcome);
		if (made == null) {
			// (a capturing lambda would be allocated on every call, so only on the first)
			made = byOutcome.computeIfAbsent(outcome, (out) -> KeyValues.of(LowCardinalityKeyNames.OPERATION.withValue(operation),
					LowCardinalityKeyNames.CACHE_NAME.withValue(cacheName), LowCardinalityKeyNames.OUTCOME.withValue(out)));
		}
		return made;
	}

	private static String outcome(CacheKitObservationContext context) {
		ErrorCode code = context.getErrorCode();
		if (code != null) {
			return code.name();
		}
		String outcome = context.getOutcome();
		// an exception that is not a CacheException (a loader, a serializer bug) leaves no outcome
		return (outcome != null) ? outcome : ((context.getError() != null) ? "error" : "unknown");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(CacheKitObservationContext context) {
		Boolean hit = context.getHit();
		KeyValues values = (hit == null) ? KeyValues.empty() : (hit ? HIT : MISS);
		String key = context.getKey();
		if (key != null) {
			values = values.and(HighCardinalityKeyNames.CACHE_KEY.withValue(key));
		}
		if (context.getItems() >= 0) {
			values = values.and(HighCardinalityKeyNames.CACHE_ITEMS.withValue(Integer.toString(context.getItems())));
		}
		if (context.getItemSize() >= 0) {
			values = values.and(HighCardinalityKeyNames.CACHE_ITEM_SIZE.withValue(Integer.toString(context.getItemSize())));
		}
		Duration ttl = context.getTtl();
		if (ttl != null) {
			values = values.and(HighCardinalityKeyNames.CACHE_TTL.withValue(Long.toString(ttl.toMillis())));
		}
		return values;
	}

}
