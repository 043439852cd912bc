package io.cachekit.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until told to move: give it to an {@link InMemoryStore} (or
 * {@code InMemoryCacheBackend.builder().clock(...)}) and expire entries with
 * {@link #advance(Duration)} instead of sleeping. Thread-safe.
 */
public final class ManualClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	/** A clock standing at the current time. */
	public ManualClock() {
		this(Instant.now());
	}

	/**
	 * A clock standing at {@code start}.
	 * @param start the clock's first instant
	 */
	public ManualClock(Instant start) {
		this(new AtomicReference<>(Objects.requireNonNull(start, "start must not be null")), ZoneOffset.UTC);
	}

	private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/**
	 * Moves the clock forward by {@code duration} (not negative).
	 * @param duration how far to move it, not negative
	 */
	public void advance(Duration duration) {
		Objects.requireNonNull(duration, "duration must not be null");
		if (duration.isNegative()) {
			throw new IllegalArgumentException("duration must not be negative but was " + duration);
		}
		this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	/**
	 * Sets the clock to {@code instant}, forward or back.
	 * @param instant the new time
	 */
	public void set(Instant instant) {
		this.now.set(Objects.requireNonNull(instant, "instant must not be null"));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public long millis() {
		return this.now.get().toEpochMilli();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/** A view on the same time in another zone (moving one moves both). */
	@Override
	public Clock withZone(ZoneId zone) {
		return new ManualClock(this.now, zone);
	}

	@Override
	public String toString() {
		return "ManualClock[" + this.now.get() + "]";
	}

}
