package io.cachekit.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.cachekit.core.ErrorCode;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default convention answers the tags of each operation, cache and outcome, made once: a call
 * that Micrometer asks for them (twice per observation) allocates none.
 */
class DefaultCacheKitObservationConventionTests {

	private final DefaultCacheKitObservationConvention convention = new DefaultCacheKitObservationConvention();

	private static CacheKitObservationContext context(String operation, String cache, String outcome, Boolean hit) {
		CacheKitObservationContext context = new CacheKitObservationContext(operation, cache);
		context.setOutcome(outcome);
		context.setHit(hit);
		return context;
	}

	@Test
	void theSameOperationCacheAndOutcomeGetTheSameTagsObject() {
		KeyValues first = this.convention.getLowCardinalityKeyValues(context("get", "products", "hit", true));
		KeyValues again = this.convention.getLowCardinalityKeyValues(context("get", "products", "hit", true));
		assertThat(again).isSameAs(first);
		assertThat(first.stream().map(KeyValue::getValue)).containsExactlyInAnyOrder("get", "products", "hit");
		assertThat(this.convention.getHighCardinalityKeyValues(context("get", "products", "hit", true)))
			.isSameAs(this.convention.getHighCardinalityKeyValues(context("get", "orders", "hit", true)));
	}

	@Test
	void theContextualNameOfAnOperationIsMadeOnce() {
		String first = this.convention.getContextualName(context("get", "products", null, null));
		assertThat(first).isEqualTo("cachekit get");
		assertThat(this.convention.getContextualName(context("get", "orders", null, null))).isSameAs(first);
		assertThat(this.convention.getContextualName(context("set", "orders", null, null))).isEqualTo("cachekit set");
	}

	@Test
	void anotherOutcomeOrCacheGetsItsOwnTags() {
		KeyValues hit = this.convention.getLowCardinalityKeyValues(context("get", "products", "hit", true));
		KeyValues miss = this.convention.getLowCardinalityKeyValues(context("get", "products", "miss", false));
		KeyValues orders = this.convention.getLowCardinalityKeyValues(context("get", "orders", "hit", true));
		CacheKitObservationContext failed = context("get", "products", null, null);
		failed.setErrorCode(ErrorCode.TIMEOUT);
		assertThat(miss.stream().map(KeyValue::getValue)).containsExactlyInAnyOrder("get", "products", "miss");
		assertThat(orders.stream().map(KeyValue::getValue)).containsExactlyInAnyOrder("get", "orders", "hit");
		assertThat(this.convention.getLowCardinalityKeyValues(failed).stream().map(KeyValue::getValue))
			.containsExactlyInAnyOrder("get", "products", "TIMEOUT");
		assertThat(hit).isNotEqualTo(miss).isNotEqualTo(orders);
		assertThat(this.convention.getHighCardinalityKeyValues(context("get", "p", "miss", false)).stream()
			.map(KeyValue::getValue)).containsExactly("false");
	}

}
