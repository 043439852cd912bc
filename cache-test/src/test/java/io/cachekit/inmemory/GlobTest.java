package io.cachekit.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekit.core.KeyPatterns;
import io.cachekit.test.Resp;
import io.cachekit.test.RedisExtension;

/** Redis' glob rules, case by case, each row also checked against a real Redis. */
class GlobTest {

	@RegisterExtension
	static final RedisExtension redis = RedisExtension.dedicated();

	/** pattern | key | whether Redis matches; {@link #redisAgrees} checks every row against a real server. */
	private static final String[] CASES = {
			"*|anything|true",
			"*|''|true",
			"user:*|user:1|true",
			"user:*|user:|true",
			"user:*|order:1|false",
			"*:1|user:1|true",
			"u*r*1|user:1|true",
			"u**1|user:1|true",
			"user:?|user:1|true",
			"user:?|user:12|false",
			"user:?|user:|false",
			"h[ae]llo|hallo|true",
			"h[ae]llo|hillo|false",
			"h[^e]llo|hallo|true",
			"h[^e]llo|hello|false",
			"h[a-c]llo|hbllo|true",
			"h[c-a]llo|hbllo|true",
			"h[a-c]llo|hdllo|false",
			"h\\*llo|h*llo|true",
			"h\\*llo|hello|false",
			"h\\?llo|hello|false",
			"h[\\]]llo|h]llo|true",
			"h[\\-]llo|h-llo|true",
			"h[\\-]llo|hallo|false",
			"h[ab|hb|true",
			"h[ab|ha|true",
			"h[ab|hab|false",
			"abc\\|abc|false",
			"?|é|false",
			"??|é|true",
			"a*b*c|axxbyyc|true",
			"a*b*c|axxbyy|false",
	};

	static Stream<Arguments> cases() {
		return Arrays.stream(CASES).map((row) -> {
			String[] parts = row.split("\\|", -1);
			return Arguments.of(parts[0], parts[1].replace("\'\'", ""), Boolean.parseBoolean(parts[2]));
		});
	}

	@ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
	@MethodSource("cases")
	void matchesAsRedisDoes(String pattern, String key, boolean expected) {
		// as the backend uses it: behind an escaped, non-empty prefix
		assertThat(Glob.compile(KeyPatterns.escape("p:") + pattern).matches("p:" + key)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "Redis: ''{0}'' matches ''{1}'': {2}")
	@MethodSource("cases")
	void redisAgrees(String pattern, String key, boolean expected) {
		// SCAN MATCH on a key of our own: the escaped prefix consumes exactly the prefix, so the
		// rest is the pattern against the key, as in the in-memory backend
		String prefix = "glob:" + UUID.randomUUID() + ":";
		String pattern2 = KeyPatterns.escape(prefix) + pattern;
		int port = redis.process().port();
		Resp.call("127.0.0.1", port, "SET", prefix + key, "v");
		try {
			boolean found = false;
			String cursor = "0";
			do {
				List<?> page = (List<?>) Resp.call("127.0.0.1", port, "SCAN", cursor, "MATCH", pattern2, "COUNT", "1000");
				cursor = (String) page.get(0);
				found |= ((List<?>) page.get(1)).contains(prefix + key);
			}
			while (!"0".equals(cursor));
			assertThat(found).as("Redis SCAN MATCH").isEqualTo(expected);
		}
		finally {
			Resp.call("127.0.0.1", port, "DEL", prefix + key);
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "g*[x]?ct:1:", "a\\b", "[^]-", "cache:" })
	void anEscapedLiteralMatchesOnlyItself(String literal) {
		Glob glob = Glob.compile(KeyPatterns.escape(literal) + "*");
		assertThat(glob.matches(literal + "k")).isTrue();
		assertThat(glob.matches(literal.substring(1) + "k")).isFalse();
		assertThat(glob.matches("x" + literal.substring(1) + "k")).isFalse();
	}

}
