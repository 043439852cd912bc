package io.cachekit.redis.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cachekit.core.CacheException;
import io.cachekit.core.ErrorCode;

/**
 * Counts backend failures by operation and error code, and logs them at WARN at most once per
 * interval per error code, with how many were suppressed since: an outage must be visible
 * without flooding the log.
 */
final class FailureRecorder {

	private static final Logger logger = LoggerFactory.getLogger(Engine.LOGGER);

	private final String target;

	private final long intervalNanos;

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	private final Map<ErrorCode, AtomicLong> lastLogged = new EnumMap<>(ErrorCode.class);

	private final Map<ErrorCode, LongAdder> suppressed = new EnumMap<>(ErrorCode.class);

	FailureRecorder(String target, Duration interval) {
		this.target = target;
		this.intervalNanos = interval.toNanos();
		long never = System.nanoTime() - this.intervalNanos - 1;
		for (ErrorCode code : ErrorCode.values()) {
			this.lastLogged.put(code, new AtomicLong(never));
			this.suppressed.put(code, new LongAdder());
		}
	}

	void record(String operation, CacheException failure) {
		ErrorCode code = failure.getErrorCode();
		this.counts.computeIfAbsent(operation + '/' + code.name(), (k) -> new LongAdder()).increment();
		AtomicLong last = this.lastLogged.get(code);
		long now = System.nanoTime();
		long previous = last.get();
		if (now - previous > this.intervalNanos && last.compareAndSet(previous, now)) {
			long skipped = this.suppressed.get(code).sumThenReset();
			if (logger.isWarnEnabled()) {
				// the message may quote what Lettuce said, and that may quote a URL
				logger.warn("Cache operation '{}' failed on {} ({}): {}{}", operation, this.target, code,
						UrlCredentials.maskText(String.valueOf(failure.getMessage())), (skipped > 0) ? " [" + skipped + " similar failures not logged]" : "");
			}
		}
		else {
			this.suppressed.get(code).increment();
		}
	}

	long count(String operation, ErrorCode code) {
		LongAdder adder = this.counts.get(operation + '/' + code.name());
		return (adder != null) ? adder.sum() : 0;
	}

	long total() {
		return this.counts.values().stream().mapToLong(LongAdder::sum).sum();
	}

}
