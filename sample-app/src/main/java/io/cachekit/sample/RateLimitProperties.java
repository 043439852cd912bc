package io.cachekit.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rate limit of the catalog's endpoints ({@code sample.rate-limit.*}).
 *
 * @param requests how many requests one client ({@code X-Client-Id}) may make per window
 * @param anonymousRequests how many requests one address without {@code X-Client-Id} may make per window:
 * more, so that someone trying the sample with curl (docs/sample-app.md) does not run into the limit
 * @param window how long a window lasts, from the client's first request in it
 */
@ConfigurationProperties("sample.rate-limit")
public record RateLimitProperties(@DefaultValue("10") int requests, @DefaultValue("100") int anonymousRequests,
		@DefaultValue("10s") Duration window) {

	/**
	 * The limit of one client.
	 * @param identified whether the client sent {@code X-Client-Id}
	 * @return requests per window
	 */
	public int requestsFor(boolean identified) {
		return identified ? this.requests : this.anonymousRequests;
	}

}
