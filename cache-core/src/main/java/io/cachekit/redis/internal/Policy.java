package io.cachekit.redis.internal;

/** What a backend failure does to the caller of an operation. */
enum Policy {

	/** Fail-open: the neutral answer; fail-fast: a {@code CacheException}. */
	ABSORB,

	/** A {@code CacheException} in both modes ({@code incr}: no honest neutral answer). */
	ALWAYS_THROW,

	/** The neutral answer in both modes ({@code ping}: "no answer" is its answer). */
	NEVER_THROW

}
