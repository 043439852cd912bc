package io.cachekit.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rate limit of the catalog's endpoints ({@code sample.rate-limit.*}).
 *
 * @param requests how many requests one client may make per window
 * @param window how long a window lasts, from the client's first request in it
 */
@ConfigurationProperties("sample.rate-limit")
public record RateLimitProperties(@DefaultValue("10") int requests, @DefaultValue("10s") Duration window) {
}
