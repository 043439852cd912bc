package io.cachekit.sample;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import io.cachekit.core.CacheBackend;
import io.cachekit.core.CacheException;

/**
 * A fixed-window rate limit per client: a client (its {@code X-Client-Id} header, else its
 * address) may make {@link RateLimitProperties#requests()} requests (without the header:
 * {@link RateLimitProperties#anonymousRequests()}) per
 * {@link RateLimitProperties#window()}, and then gets {@code 429 Too Many Requests} with
 * {@code Retry-After} until the window ends. The window is a Redis counter created at 0 with the
 * window as its TTL, so every instance of the application shares it.
 */
@Component
public class RateLimitInterceptor implements HandlerInterceptor {

	private final CacheBackend<Object> cache;

	private final RateLimitProperties limit;

	public RateLimitInterceptor(CacheBackend<Object> cache, RateLimitProperties limit) {
		this.cache = cache;
		this.limit = limit;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (request.getDispatcherType() != DispatcherType.REQUEST) {
			return true; // counted when the request came in, not again when an async result is dispatched
		}
		String client = request.getHeader("X-Client-Id");
		String key = "rate:" + ((client != null) ? client : request.getRemoteAddr());
		long count;
		try {
			count = this.cache.incr(key, 1, 0, this.limit.window());
		}
		catch (CacheException ex) {
			return true; // Redis is down: serve everyone rather than no one
		}
		int requests = this.limit.requestsFor(client != null);
		response.setHeader("X-RateLimit-Remaining", Long.toString(Math.max(0, requests - count)));
		if (count <= requests) {
			return true;
		}
		long retryAfter = this.cache.getTtl(key).map((ttl) -> ttl.plusMillis(999).toSeconds()).orElse(1L);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
		return false;
	}

}
