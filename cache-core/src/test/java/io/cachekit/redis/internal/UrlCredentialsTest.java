package io.cachekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The masking rules of {@link UrlCredentials}, one shape of URL or text per row. */
class UrlCredentialsTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			redis://:Hash#Secr3t@host:6379                | redis://****@host:6379
			redis://:pa/ss@host                           | redis://****@host
			redis://:pa?ss@host                           | redis://****@host
			redis://user:p@ss@host                        | redis://****@host
			redis://user:s3cret@host:6379/2               | redis://user:****@host:6379/2
			redis://s3cret@host                           | redis://****@host
			redis://:s3cret@host                          | redis://:****@host
			redis://user:Hash%23Secr3t%2F%3F%40@host      | redis://user:****@host
			rediss://us%40er:s3cret@host:6380             | rediss://us%40er:****@host:6380
			redis://user:pa:ss@host                       | redis://user:****@host
			redis://user:pa ss@host                       | redis://****@host
			`redis://user:pa"ss@host`                     | redis://****@host
			redis://user:pa%zzss@host                     | redis://****@host
			redis://user:ab://cd@host                     | redis://****@host
			redis://user:p€ss@host                        | redis://user:****@host
			redis://host:6379/0?clientName=a@b            | redis://****@b
			redis-sentinel://u:s3cret@h1:26379,h2:26380/1#mymaster | redis-sentinel://u:****@h1:26379,h2:26380/1#mymaster
			redis-sentinel://:Hash#Secr3t@h1:26379#mymaster | redis-sentinel://****@h1:26379#mymaster
			redis-sentinel://h1:26379#my@master           | redis-sentinel://****@master
			redis://u:s3cret@h1:7000,h2:7001,h3:7002      | redis://u:****@h1:7000,h2:7001,h3:7002
			redis://host:6379                             | redis://host:6379
			redis://:s3cret                               | redis://****
			redis://user:s3cret/0                         | redis://****/0
			redis://[::1]:6379/0                          | redis://[::1]:6379/0
			redis://h1:7000,h2:7001                       | redis://h1:7000,h2:7001
			redis-sentinel://h1:26379,h2:26380#mymaster   | redis-sentinel://h1:26379,h2:26380#mymaster
			redis-socket:///tmp/redis.sock                | redis-socket:///tmp/redis.sock
			s3cret@localhost:6379                         | ****@localhost:6379
			user:s3cret@redis://host                      | ****@redis://host
			` redis://u:s3cret@host`                      | ****@host
			""")
	void masksOneUrl(String url, String masked) {
		assertThat(UrlCredentials.maskUrl(url)).isEqualTo(masked);
		assertThat(UrlCredentials.maskUrl(masked)).as("idempotent").isEqualTo(masked);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			app.jar --app.cache.redis-url=redis://:Hash#Secr3t@h:6379 --debug | app.jar --app.cache.redis-url=redis://****@h:6379 --debug
			app.jar --a=redis://u:s3cret@h1 --b=rediss://v:s3cret@h2/0        | app.jar --a=redis://u:****@h1 --b=rediss://v:****@h2/0
			app.jar --db=jdbc:postgresql://db:5432/x --b=redis://:s3cret@h2   | app.jar --db=jdbc:postgresql://db:5432/x --b=redis://:****@h2
			`{"app":{"cache":{"redis-url":"redis://u:s3cret@h"}}}`           | `{"app":{"cache":{"redis-url":"redis://u:****@h"}}}`
			`{"a":"redis://h","b":"redis://u:s3cret@h2"}`                    | `{"a":"redis://h","b":"redis://u:****@h2"}`
			`{"u":"redis://u:s3cret@h","mail":"joe@example.com"}`           | `{"u":"redis://****@example.com"}`
			--a=redis://:pa ss@h                                              | --a=redis://****@h
			--a=redis://:pa b://c@h                                           | ****
			--a=redis://h --mail=joe@example.com                              | --a=redis://****@example.com
			redis://abc x://c@h                                               | ****
			redis://h1 redis://:s3cret@h2                                     | ****
			`redis://abc"x://c@h`                                             | ****
			`["redis://h1","redis://:s3cret@h2"]`                             | `["redis://h1","redis://:****@h2"]`
			no url here, mail joe@example.com                                 | no url here, mail joe@example.com
			see http://example.com/x                                          | see http://example.com/x
			""")
	void masksEveryUrlInText(String text, String masked) {
		assertThat(UrlCredentials.maskText(text)).isEqualTo(masked);
		assertThat(UrlCredentials.maskText(masked)).as("idempotent").isEqualTo(masked);
	}

	/** Credentials in a URL's query or fragment: before, each of these was shown as it is. */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			redis://host:6379?password=s3cret                           | redis://host:6379?password=****
			redis://host:6379/0?user=app&password=s3cret&timeout=5s     | redis://host:6379/0?user=****&password=****&timeout=5s
			redis://host?username=app;Password=s3cret                   | redis://host?username=****;Password=****
			redis://host?clientName=cache&pass=s3cret                   | redis://host?clientName=cache&pass=****
			redis://u:s3cret@host?password=s3cret                       | redis://u:****@host?password=****
			redis-sentinel://h1:26379,h2:26380?sentinelMasterId=m&password=s3cret | redis-sentinel://h1:26379,h2:26380?sentinelMasterId=m&password=****
			redis-sentinel://h1:26379/0#mymaster?sentinelPassword=s3cret | redis-sentinel://h1:26379/0#mymaster?sentinelPassword=****
			rediss://h1:7000,h2:7001?auth=s3cret&token=t0k3n            | rediss://h1:7000,h2:7001?auth=****&token=****
			redis://host?password=                                      | redis://host?password=
			redis://host:6379?database=2&clientName=c                   | redis://host:6379?database=2&clientName=c
			""")
	void masksCredentialsInTheQuery(String url, String masked) {
		assertThat(UrlCredentials.maskUrl(url)).isEqualTo(masked);
		assertThat(UrlCredentials.maskUrl(masked)).as("idempotent").isEqualTo(masked);
		assertThat(UrlCredentials.maskText(url)).isEqualTo(masked);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			app.jar --app.cache.redis-url=redis://h:6379?password=s3cret --debug | app.jar --app.cache.redis-url=redis://h:6379?password=**** --debug
			`{"app":{"cache":{"redis-url":"redis://h?user=app&password=s3cret"}}}` | `{"app":{"cache":{"redis-url":"redis://h?user=****&password=****"}}}`
			`get on redis://h:1?password=s3cret: ERR`                            | `get on redis://h:1?password=**** ERR`
			""")
	void masksQueryCredentialsInText(String text, String masked) {
		assertThat(UrlCredentials.maskText(text)).isEqualTo(masked);
		assertThat(UrlCredentials.maskText(masked)).as("idempotent").isEqualTo(masked);
	}

	@Test
	void textWithoutSchemeSeparatorIsNotMaskedAsText() {
		assertThat(UrlCredentials.maskText("user@example.com")).isEqualTo("user@example.com");
		assertThat(UrlCredentials.maskUrl("user@example.com")).isEqualTo("****@example.com");
	}

}
