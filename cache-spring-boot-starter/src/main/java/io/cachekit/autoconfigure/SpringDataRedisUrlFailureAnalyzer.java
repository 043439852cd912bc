package io.cachekit.autoconfigure;

import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import io.cachekit.redis.RedisConnection;

/**
 * Reports a {@code spring.data.redis.url} that Spring Boot cannot parse, with its credentials
 * masked: Spring Boot's own report quotes the URL whole, password included. Runs before Spring
 * Boot's analyzer, and only for URLs with user-info (the others it leaves to Spring Boot).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SpringDataRedisUrlFailureAnalyzer implements FailureAnalyzer {

	/** Spring Boot's exception for it: package-private, so known by name. */
	private static final String URL_SYNTAX_EXCEPTION = "org.springframework.boot.data.redis.autoconfigure.DataRedisUrlSyntaxException";

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getClass().getName().equals(URL_SYNTAX_EXCEPTION)) {
				return analyzeUrlSyntax(t);
			}
		}
		return null;
	}

	private static @Nullable FailureAnalysis analyzeUrlSyntax(Throwable ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.indexOf('@') < 0) {
			return null;
		}
		String reason = (ex.getCause() instanceof URISyntaxException syntax) ? " (" + syntax.getReason() + ")" : "";
		return new FailureAnalysis(
				"Spring Boot could not parse 'spring.data.redis.url'" + reason + ": " + RedisConnection.maskText(message),
				"Review the value of 'spring.data.redis.url': percent-encode '#', '/', '?', '@', '%' and spaces in "
						+ "its user name and password (%23, %2F, %3F, %40, %25, %20).",
				ex);
	}

}
