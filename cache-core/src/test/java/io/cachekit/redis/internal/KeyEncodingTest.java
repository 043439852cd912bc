package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachekit.contract.AsyncFaceAdapter;
import io.cachekit.core.CacheBackend;
import io.cachekit.core.FailureMode;
import io.cachekit.redis.RedisCacheBackend;
import io.cachekit.test.RedisExtension;

/**
 * Keys that are not valid UTF-16 would be encoded with {@code '?'} for the lone surrogate and
 * alias another key; they are refused like any other bad key, in every failure mode.
 */
class KeyEncodingTest {

	private static final String LONE_HIGH = "k\uD800";

	private static final String LONE_LOW = "\uDC00k";

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.standalone();

	private RedisCacheBackend<Object> backend;

	@AfterEach
	void tearDown() {
		if (this.backend != null) {
			this.backend.clear();
			this.backend.shutdown();
		}
	}

	private RedisCacheBackend<Object> backend(FailureMode mode) {
		this.backend = RedisCacheBackend.builder(redis.url())
			.prefix("keyenc:")
			.failureMode(mode)
			.commandTimeout(Duration.ofSeconds(2))
			.build();
		this.backend.initialize();
		return this.backend;
	}

	@ParameterizedTest
	@EnumSource(FailureMode.class)
	void loneSurrogatesAreRefusedInEveryKeyPositionOnBothFaces(FailureMode mode) {
		RedisCacheBackend<Object> cache = backend(mode);
		cache.set("k?", "the real k?");
		for (CacheBackend<Object> face : List.of(cache, new AsyncFaceAdapter<>(cache.async()))) {
			assertThatThrownBy(() -> face.get(LONE_HIGH)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("key must be valid UTF-16 (lone surrogate at index 1)");
			assertThatThrownBy(() -> face.set(LONE_HIGH, "overwrites k?")).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("key must be valid UTF-16 (lone surrogate at index 1)");
			assertThatThrownBy(() -> face.get(LONE_LOW)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("key must be valid UTF-16 (lone surrogate at index 0)");
			assertThatThrownBy(() -> face.getMany(List.of("a", "b", LONE_HIGH)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("keys[2] must be valid UTF-16 (lone surrogate at index 1)");
			Map<String, Object> entries = new LinkedHashMap<>();
			entries.put("a", 1);
			entries.put(LONE_HIGH, 2);
			assertThatThrownBy(() -> face.setMany(entries)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("entries key #1 must be valid UTF-16 (lone surrogate at index 1)");
			assertThatThrownBy(() -> face.addToSet("s", LONE_HIGH)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("member must be valid UTF-16 (lone surrogate at index 1)");
			assertThatThrownBy(() -> face.addManyToSet("s", List.of("ok", LONE_HIGH)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("members[1] must be valid UTF-16 (lone surrogate at index 1)");
			assertThatThrownBy(() -> face.removeFromSet("s", LONE_LOW)).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("member must be valid UTF-16 (lone surrogate at index 0)");
			// a surrogate pair is one character, not an error, and not an alias of anything
			assertThat(face.set("k\uD83D\uDE00", "emoji")).isTrue();
			assertThat(face.get("k\uD83D\uDE00")).contains("emoji");
		}
		assertThat(cache.get("k?")).contains("the real k?");
		assertThat(cache.getMany(List.of("a"))).isEmpty(); // the refused setMany stored nothing
		assertThat(cache.getSetMembers("s")).isEmpty(); // nor did a refused member
	}

	@Test
	void setMembersAndPrefixHaveTheSameRule() {
		assertThat(Keys.member("m\uD83D\uDE00", "member")).isEqualTo("m\uD83D\uDE00");
		assertThat(Keys.member("", "member")).isEmpty();
		assertThatThrownBy(() -> Keys.member("m\uDBFF", "members[3]")).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("members[3] must be valid UTF-16 (lone surrogate at index 1)");
		assertThatThrownBy(() -> Keys.member(null, "member")).hasMessage("member must not be null");
		assertThatThrownBy(() -> RedisCacheBackend.builder(redis.url()).prefix("p\uDC00:").build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("prefix must be valid UTF-16 (lone surrogate at index 1)");
	}

}
