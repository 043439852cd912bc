package io.cachekit.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@link CacheKitObservationDocumentation#OPERATION} observation. Declare a
 * bean of this type to replace {@link DefaultCacheKitObservationConvention}.
 */
public interface CacheKitObservationConvention extends ObservationConvention<CacheKitObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof CacheKitObservationContext;
	}

}
