package io.cachekit.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** XFetch's probability and the envelope's bytes. */
class EntryTest {

	@Test
	void xfetchRefreshesWithProbabilityExpOfMinusTimeLeftOverDeltaTimesBeta() {
		Entry<String> entry = new Entry<>("v", 10_000, 100);
		SplittableRandom random = new SplittableRandom(42);
		// P(refresh) = exp(-(expiry - now) / (delta * beta))
		assertThat(rate(entry, 9_900, 1.0, random)).isCloseTo(Math.exp(-1), within(0.01));
		assertThat(rate(entry, 9_500, 1.0, random)).isCloseTo(Math.exp(-5), within(0.002));
		assertThat(rate(entry, 9_900, 2.0, random)).isCloseTo(Math.exp(-0.5), within(0.01));
		assertThat(rate(entry, 10_000, 1.0, random)).isEqualTo(1.0);
		assertThat(new Entry<>("v", 0, 100).shouldRefreshEarly(9_999, 1.0, 1e-9)).as("no logical expiry").isFalse();
	}

	private static double rate(Entry<String> entry, long now, double beta, SplittableRandom random) {
		int refreshes = 0;
		int samples = 200_000;
		for (int i = 0; i < samples; i++) {
			if (entry.shouldRefreshEarly(now, beta, 1.0 - random.nextDouble())) {
				refreshes++;
			}
		}
		return refreshes / (double) samples;
	}

	@Test
	void theEnvelopeCarriesExpiryDeltaAndTheValueBytes() {
		byte[] stored = Envelope.wrap(new byte[] { 1, 2, 3 }, 1_700_000_000_123L, 42);
		assertThat(stored).hasSize(Envelope.HEADER + 3);
		assertThat(stored).startsWith((byte) 'C', (byte) 'K', (byte) 'E', (byte) 1);
		assertThat(Envelope.isEnvelope(stored)).isTrue();
		assertThat(Envelope.expiresAt(stored)).isEqualTo(1_700_000_000_123L);
		assertThat(Envelope.delta(stored)).isEqualTo(42);
		assertThat(Envelope.value(stored)).containsExactly(1, 2, 3);
		assertThat(Envelope.isEnvelope("\"plain json\"".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isFalse();
	}

}
