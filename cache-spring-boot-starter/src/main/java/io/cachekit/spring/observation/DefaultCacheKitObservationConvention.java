package io.cachekit.spring.observation;

import java.time.Duration;

import io.cachekit.core.ErrorCode;
import io.cachekit.spring.observation.CacheKitObservationDocumentation.HighCardinalityKeyNames;
import io.cachekit.spring.observation.CacheKitObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/** The names and tags documented in {@link CacheKitObservationDocumentation}. */
public class DefaultCacheKitObservationConvention implements CacheKitObservationConvention {

	/** Shared instance. */
	public static final DefaultCacheKitObservationConvention INSTANCE = new DefaultCacheKitObservationConvention();

	@Override
	public String getName() {
		return CacheKitObservationDocumentation.OPERATION_NAME;
	}

	@Override
	public String getContextualName(CacheKitObservationContext context) {
		return "cachekit " + context.getOperation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(CacheKitObservationContext context) {
		return KeyValues.of(LowCardinalityKeyNames.OPERATION.withValue(context.getOperation()),
				LowCardinalityKeyNames.CACHE_NAME.withValue(context.getCacheName()),
				LowCardinalityKeyNames.OUTCOME.withValue(outcome(context)));
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
		KeyValues values = KeyValues.empty();
		Boolean hit = context.getHit();
		if (hit != null) {
			values = values.and(HighCardinalityKeyNames.CACHE_HIT.withValue(hit.toString()));
		}
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
