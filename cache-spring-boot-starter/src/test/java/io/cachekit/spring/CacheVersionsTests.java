package io.cachekit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

import io.cachekit.core.serialization.JsonShape;

/** What a version may be, where it goes in a key, and which keys are another version's. */
class CacheVersionsTests {

	record Item(String id) {
	}

	@Test
	void aVersionIsOneToSixtyFourLettersDigitsDotsUnderscoresOrDashes() {
		CacheKitCacheConfiguration defaults = CacheKitCacheConfiguration.defaults();
		assertThat(defaults.withVersion("a".repeat(64)).getVersion()).hasSize(64);
		assertThat(defaults.withVersion("2026-12.1_b").getVersion()).isEqualTo("2026-12.1_b");
		for (String bad : new String[] { "", "a".repeat(65), "v:1", "{slot}", "v 1", "v*" }) {
			assertThatIllegalArgumentException().as("'%s'", bad).isThrownBy(() -> defaults.withVersion(bad));
		}
		assertThat(defaults.withVersion(null).getVersion()).isNull();
	}

	@Test
	void autoIsTheFingerprintOfTheValueTypeAndNeedsOne() {
		CacheKitCacheConfiguration auto = CacheKitCacheConfiguration.defaults()
			.withVersion(CacheKitCacheConfiguration.AUTO_VERSION);
		assertThatIllegalArgumentException().isThrownBy(() -> CacheVersions.resolve(auto))
			.withMessageContaining("value type");
		assertThat(CacheVersions.resolve(auto.withValueType(Item.class))).isEqualTo(JsonShape.fingerprint(Item.class));
	}

	@Test
	void theVersionGoesBetweenTheNameAndTheKey() {
		assertThat(CacheKeyspace.of("users", "7").key("k")).isEqualTo("users::\u0000v7:k");
		assertThat(CacheKeyspace.of("users").key("k")).isEqualTo("users::k");
		assertThatIllegalArgumentException().isThrownBy(() -> CacheKeyspace.of("a\u0000b", null));
	}

	@Test
	void onlyTheCachesOwnOtherVersionsAreOtherVersions() {
		CacheKeyspace users = CacheKeyspace.of("users", "7");
		assertThat(users.isOtherVersion("users::\u0000v6:k")).isTrue();
		assertThat(users.isOtherVersion("users::\u0000v6:k\u0000lease{x}")).as("a lease of it").isTrue();
		assertThat(users.isOtherVersion("users::\u0000v7:k")).as("its own").isFalse();
		assertThat(users.isOtherVersion("users::k")).as("unversioned").isFalse();
		assertThat(users.isOtherVersion("users2::\u0000v6:k")).as("a longer name").isFalse();
		assertThat(CacheKeyspace.of("user", "7").isOtherVersion("users::\u0000v6:k")).as("a shorter name").isFalse();
		assertThat(users.isOtherVersion("users::\u0000vbad version:k")).as("not a version").isFalse();
		assertThat(users.isOtherVersion("users::\u0000v6")).as("no key").isFalse();
	}

}
