package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.lettuce.core.cluster.SlotHash;

/** A lease shares its entry's hash slot, so the fenced write is one script on a cluster. */
class LeaseKeysTest {

	@Test
	void aLeaseIsInItsEntrysSlot() {
		for (int i = 0; i < 20_000; i++) {
			String entry = "cache:products::" + i;
			String lease = LeaseKeys.of(entry);
			assertThat(lease).startsWith(entry + LeaseKeys.SUFFIX);
			assertThat(SlotHash.getSlot(lease)).as(entry).isEqualTo(SlotHash.getSlot(entry));
		}
	}

	@Test
	void aKeysOwnHashTagDecidesAndNothingIsAppended() {
		String entry = "cache:{user42}:orders";
		assertThat(LeaseKeys.of(entry)).isEqualTo(entry + LeaseKeys.SUFFIX);
		assertThat(LeaseKeys.aligned(entry, LeaseKeys.of(entry))).isTrue();
	}

	@Test
	void aKeyWhoseFirstBraceIsNeverClosedIsToldApart() {
		// the appended tag's '}' would close the key's own '{': no suffix can give it the entry's slot
		String entry = "cache:{unclosed";
		assertThat(LeaseKeys.aligned(entry, LeaseKeys.of(entry))).isFalse();
	}

	@Test
	void theTagsAreTheSameInEveryJvm() {
		// shortest base-36 string first: slot 0's tag is found by counting, not by chance
		assertThat(LeaseKeys.of("a")).isEqualTo("a" + LeaseKeys.SUFFIX + "{" + tagOf(SlotHash.getSlot("a")) + "}");
	}

	private static String tagOf(int slot) {
		for (int n = 0;; n++) {
			String candidate = Integer.toString(n, 36);
			if (SlotHash.getSlot(candidate) == slot) {
				return candidate;
			}
		}
	}

}
