package io.cachekit.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations CacheKit makes, with their key names. One observation per cache operation,
 * whether called on an injected {@code CacheBackend} or by the {@code @Cacheable} bridge.
 */
public enum CacheKitObservationDocumentation implements ObservationDocumentation {

	/**
	 * One cache operation ({@code get}, {@code set}, {@code getMany}, ...), from the call until
	 * its answer. Named {@value CacheKitObservationDocumentation#OPERATION_NAME}; contextual
	 * (span) name {@code cachekit <operation>}.
	 */
	OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultCacheKitObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/** Name of the operation observation (and so of its timer). */
	public static final String OPERATION_NAME = "cachekit.operation";

	/** Tags: bounded values, on metrics and spans. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The operation, as named in {@code CacheBackend}: {@code get}, {@code set}, {@code getMany}, ... */
		OPERATION {
			@Override
			public String asString() {
				return "cache.operation";
			}
		},

		/** The {@code @Cacheable} cache's name, or {@code none} for a call on the backend itself. */
		CACHE_NAME {
			@Override
			public String asString() {
				return "cache.name";
			}
		},

		/**
		 * How it went: {@code hit} / {@code miss} (reads, and exists/expire/persist: whether the key
		 * was there; {@code getMany} answers {@code partial} when only some keys were found), {@code stored} / {@code not_stored} (writes), {@code removed} / {@code not_found}
		 * (deletes), {@code success} / {@code failure} (ping), or the {@code ErrorCode} name
		 * ({@code CONNECTION}, {@code TIMEOUT}, {@code CIRCUIT_OPEN}, ...) when the operation failed,
		 * also in fail-open mode where the caller got a neutral answer.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "cache.outcome";
			}
		}

	}

	/** Span attributes with unbounded values: never on metrics. */
	public enum HighCardinalityKeyNames implements KeyName {

		/** {@code true}/{@code false} for reads ({@code get}: the key was found; {@code getMany}: all were). */
		CACHE_HIT {
			@Override
			public String asString() {
				return "cache.hit";
			}
		},

		/**
		 * The key as the caller gave it (without the backend's prefix); only with
		 * {@code app.cache.observations.include-keys=true}, since keys may hold personal data.
		 * Multi-key operations list their keys, comma-separated.
		 */
		CACHE_KEY {
			@Override
			public String asString() {
				return "cache.key";
			}
		},

		/** Number of keys (or set members) a multi-key operation sent or received. */
		CACHE_ITEMS {
			@Override
			public String asString() {
				return "cache.items";
			}
		},

		/** Bytes of a {@code byte[]} value written or read; other values are not sized (it would cost a serialization). */
		CACHE_ITEM_SIZE {
			@Override
			public String asString() {
				return "cache.item_size";
			}
		},

		/** TTL asked for, in milliseconds ({@code 0}: no expiry; absent: the default TTL). */
		CACHE_TTL {
			@Override
			public String asString() {
				return "cache.ttl";
			}
		}

	}

}
